<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests\Support;

use Itsm\Engine;
use Itsm\Record;

/** Everything an engine holds about its records, comparable with assertEquals. */
final class Snapshot
{
    public static function engine(Engine $engine): array
    {
        $out = [];
        foreach ($engine as $r) {
            $out[$r->id()] = self::record($r);
        }
        return $out;
    }

    public static function record(Record $r): array
    {
        return [$r->kind(), $r->state(), $r->isOpen(), $r->revision(), $r->fields(true), $r->timeline(),
                $r->links()];
    }

    /** Records of every kind, with transitions, notes and links. */
    public static function busy(Engine $engine, Clock $clock): void
    {
        $engine->setActor('alice');
        $inc = $engine->open('incident', ['summary' => 'Mail is down', 'caller' => 'bob', 'service' => 'mail',
                                          'impact' => 1, 'urgency' => 2]);
        $clock->advance('+1 minute');
        $inc->fire('assign', ['assignment_group' => 'messaging']);
        $inc->fire('start', ['assignee' => 'carol']);
        $inc->addNote('restarting the relay');
        $inc->addNote('relay restarted', 'customer', $clock->now->modify('+1 hour'),
            $clock->now->modify('+30 minutes'));
        $clock->advance('+5 minutes');
        $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'relay restarted']);
        $prb = $engine->open('problem', ['summary' => 'Relay keeps hanging'], 'PRB-mail-1');
        $inc->link($prb);
        $engine->setActor('dave');
        $chg = $engine->open('change', ['summary' => 'Upgrade relay', 'change_type' => 'standard']);
        $chg->fire('assess');
        $prb->link($chg);
        $req = $engine->open('service_request', ['summary' => 'New mailbox', 'caller' => 'erin', 'service' => 'mail']);
        $req->fire('submit');
        $kb = $engine->open('knowledge', ['summary' => 'Restarting the relay']);
        $kb->fire('submit');
        $engine->setActor(null);
        $inc->fire('reopen');
    }
}
