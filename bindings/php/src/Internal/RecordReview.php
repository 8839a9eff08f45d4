<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeInterface;
use FFI;
use Itsm\History;
use Itsm\Review;
use Itsm\ReviewAction;
use Itsm\ReviewCause;

/**
 * The Record calls of the post-incident review of a major incident
 * (review.h): every step is an event on the major incident; an action
 * open past its due time fires its overdue event at the tick.
 *
 * @internal part of Record
 */
trait RecordReview
{
    /**
     * Open the review of this accepted major incident (one event; the actor
     * is its facilitator). InvalidArgument for any other record,
     * AlreadyExists for a second review.
     */
    public function openReview(): static
    {
        return $this->mutate('itsm_review_open');
    }

    /** Record a contributing cause. NotFound without a review, StateError once it is complete. */
    public function addReviewCause(string $text): static
    {
        return $this->mutate('itsm_review_add_cause', Convert::str($text, 'cause'));
    }

    /**
     * Add action item $action (a name unique in the review) saying what is
     * to be done, due at $due (after now), owned by $owner or nobody yet.
     * InvalidArgument for a due time not after now, AlreadyExists for a
     * taken name, NotFound without a review.
     */
    public function addReviewAction(string $action, string $text, DateTimeInterface|int $due,
                                    ?string $owner = null): static
    {
        return $this->mutate('itsm_review_add_action', Convert::str($action, 'action'), Convert::str($text, 'text'),
            Convert::strOrNull($owner, 'owner'), Convert::time($due, 'due'));
    }

    /** Give the action an owner: NotFound for an unknown action, StateError when it is done. */
    public function assignReviewAction(string $action, string $owner): static
    {
        return $this->mutate('itsm_review_assign_action', Convert::str($action, 'action'),
            Convert::str($owner, 'owner'));
    }

    /** Mark the action done, with an optional note: StateError when it has no owner or is done already. */
    public function completeReviewAction(string $action, ?string $note = null): static
    {
        return $this->mutate('itsm_review_action_done', Convert::str($action, 'action'),
            Convert::strOrNull($note, 'note'));
    }

    /**
     * Complete the review: StateError while no cause is recorded or an
     * action has no owner (the message names it), or when complete already.
     */
    public function completeReview(): static
    {
        return $this->mutate('itsm_review_complete');
    }

    /** The review; null when the record has none. */
    public function review(): ?Review
    {
        $ffi = Native::ffi();
        $p = $this->ptr();
        $info = Native::result('itsm_review_info');
        $rc = $ffi->itsm_record_review(FFI::addr($info), $p);
        if ($rc === Native::ITSM_ENOTFOUND) {
            return null;
        }
        $this->engine->check($rc);
        $causes = [];
        for ($i = 0; $i < (int) $info->causes; $i++) {
            $c = Native::result('itsm_review_cause');
            $this->engine->check($ffi->itsm_review_cause_at(FFI::addr($c), $p, $i));
            $causes[] = new ReviewCause((string) $c->text, $c->by, Convert::fromC((int) $c->at));
        }
        $actions = [];
        for ($i = 0; $i < (int) $info->actions; $i++) {
            $a = Native::result('itsm_review_action');
            $this->engine->check($ffi->itsm_review_action_at(FFI::addr($a), $p, $i));
            $actions[] = new ReviewAction((string) $a->id, (string) $a->text, $a->owner, Convert::fromC((int) $a->due),
                Convert::fromC((int) $a->added_at), $a->added_by, $a->done !== 0, Convert::fromC((int) $a->done_at),
                $a->done_by, $a->note, $a->overdue !== 0);
        }
        return new Review(Convert::fromC((int) $info->opened_at), $info->opened_by, $info->complete !== 0,
            Convert::fromC((int) $info->completed_at), $info->completed_by, $causes, $actions,
            (int) $info->open_actions, (int) $info->unowned_actions, (int) $info->overdue_actions);
    }

    /**
     * The review's timeline excerpt: the key moments of the record's
     * history (its opening, lifecycle steps, customer updates, links and the
     * events of the service levels, escalation, major incident, handover
     * and review), read from the store like history(). The record need not
     * have a review.
     */
    public function reviewTimeline(): History
    {
        return $this->historyOf('itsm_review_timeline');
    }
}
