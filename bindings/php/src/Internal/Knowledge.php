<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use Itsm\Engine;
use Itsm\KnowledgeMatch;
use Itsm\KnowledgeMatches;

/**
 * The result arrays of knowledge search and diagnose.
 *
 * @internal
 */
final class Knowledge
{
    /**
     * Run $call(itsm_match *out, size_t cap, size_t *n) into a buffer of $limit matches.
     *
     * @param callable(mixed, int, mixed): int $call
     */
    public static function matches(Engine $engine, int $limit, callable $call): KnowledgeMatches
    {
        if ($limit < 0) {
            throw new \ValueError('limit must be 0 or more');
        }
        $ffi = Native::ffi();
        $buf = Native::result('itsm_match', $limit);
        $n = $ffi->new('size_t');
        $engine->check($call($limit > 0 ? FFI::addr($buf[0]) : null, $limit, FFI::addr($n)));
        $total = (int) $n->cdata;
        $out = [];
        for ($i = 0; $i < min($limit, $total); $i++) {
            $m = $buf[$i];
            $out[] = new KnowledgeMatch($engine->wrap($m->record),
                Native::MATCH_SOURCES[$m->source] ?? (string) $m->source, (int) $m->score, (int) $m->words,
                $m->workaround, (bool) $m->level1_fix);
        }
        return new KnowledgeMatches($out, $total);
    }
}
