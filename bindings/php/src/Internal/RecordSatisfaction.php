<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use Itsm\SurveyAnswer;

/**
 * The Record calls of customer satisfaction (satisfaction.h): the answer
 * to a closed, sampled record's survey, one event; the policy holds the
 * scale (Policy::surveyScale()), reports the figures (Report::satisfaction()).
 *
 * @internal part of Record
 */
trait RecordSatisfaction
{
    /**
     * Record the customer's answer: a score on the policy's scale and an
     * optional comment, one event. InvalidArgument for a kind other than
     * incident or service request or a score off the scale; StateError when
     * the record is not closed or not in the survey sample; AlreadyExists
     * when it was answered.
     */
    public function answerSurvey(int $score, ?string $comment = null): static
    {
        return $this->mutate('itsm_record_survey_answer', Convert::int($score, 'score'),
            Convert::strOrNull($comment, 'comment'));
    }

    /** The answer; null while the survey is unanswered. */
    public function surveyAnswer(): ?SurveyAnswer
    {
        $a = Native::result('itsm_survey_answer');
        $rc = Native::ffi()->itsm_record_survey(FFI::addr($a), $this->ptr());
        if ($rc === Native::ITSM_ENOTFOUND) {
            return null;
        }
        $this->engine->check($rc);
        return new SurveyAnswer((int) $a->score, $a->comment, $a->by,
            Convert::fromC((int) $a->at) ?? new \DateTimeImmutable('@0'));
    }
}
