<?php
// SPDX-License-Identifier: Apache-2.0
/*
 * A service-desk host on PDO-SQLite: every change goes through the engine's
 * store callback into one SQLite table (Itsm\Store\PdoStore), a sink tells
 * the "notification service", and the host restarts half-way through the
 * story and carries on from what the database holds.
 *
 *   php examples/desk.php [DATABASE]     (default: a new temporary file)
 *
 * Run it twice on the same file and the second run finds the first run's
 * records: the engine is rebuilt from the table before anything else.
 * The library is found as the README says (ITSM_LIBRARY, the build tree,
 * or an installed libitsm).
 */
declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use Itsm\Engine;
use Itsm\Event;
use Itsm\Exception\GuardFailed;
use Itsm\Policy;
use Itsm\Store\PdoStore;

$path = $argv[1] ?? sys_get_temp_dir() . '/itsm-desk-' . getmypid() . '.db';
$temporary = !isset($argv[1]);

// The host's clock: real time would do (clock: 'time'); a script that tells
// a story moves its own clock.
$now = new DateTimeImmutable('2024-03-04T09:00:00Z');
$clock = function () use (&$now): DateTimeImmutable {
    return $now;
};
$notify = function (array $events): void {
    foreach ($events as $e) {
        /** @var Event $e */
        if (in_array($e->type, ['major_proposed', 'sla_warning', 'sla_breach', 'update_overdue', 'handover_propose'], true)) {
            printf("  [notify] %s %s at %s\n", $e->recordId, $e->type, $e->time->format('H:i'));
        }
    }
};

$policy = Policy::default()
    ->setCalendar('office', array_fill_keys(['mon', 'tue', 'wed', 'thu', 'fri'], ['08:00', '18:00']))
    ->setSla('payroll_gold', response: array_fill(0, 5, 15 * 60),
        resolution: [1 => 4 * 3600, 2 => 8 * 3600, 3 => 16 * 3600, 4 => 40 * 3600, 5 => 80 * 3600], calendar: 'office')
    ->setServiceSla('payroll', 'payroll_gold');

/** One "process" of the host: open the database, rebuild the engine from it. */
function host(string $path, Policy $policy, callable $clock, callable $notify): Engine
{
    $pdo = new PDO("sqlite:$path");
    return new Engine(policy: $policy, store: new PdoStore($pdo), clock: $clock, sink: $notify, actor: 'sd.maria',
        load: true);
}

echo "database: $path\n";
$desk = host($path, $policy, $clock, $notify);
if (count($desk) > 0) {
    echo 'found ' . count($desk) . " records from an earlier run:\n";
    foreach ($desk as $rec) {
        echo "  $rec\n";
    }
    $now = $desk->now()->modify('+1 day');
}

// ---- first process: the call comes in ---------------------------------------
$inc = $desk->open('incident', ['summary' => 'Payroll run fails with HTTP 503', 'caller' => 'j.smith',
    'service' => 'payroll', 'category' => 'application', 'impact' => 2, 'urgency' => 2]);
echo "opened {$inc->id()}: priority {$inc->priority}, SLA {$inc->sla()}, state {$inc->state()}\n";
$inc->fire('assign', ['assignment_group' => 'service-desk']);
$now = $now->modify('+5 minutes');
$inc->fire('start', ['assignee' => 'sd.maria']);
$inc->addNote('restarted the web tier', 'customer', $now->modify('+2 hours'), $now->modify('+1 hour'));
$due = $inc->timer('resolution')->due;
echo "resolution due {$due->format(DATE_ATOM)}\n";
try {
    $inc->fire('resolve');
} catch (GuardFailed $e) {
    echo "refused: {$e->getMessage()}\n";
}
$id = $inc->id();
$before = $inc->fields();

// ---- the host restarts -------------------------------------------------------
$desk->close();
unset($desk, $inc);
echo "-- host restarted --\n";
$now = $now->modify('+6 hours');
$desk = host($path, $policy, $clock, $notify);
$inc = $desk->find($id);
if ($inc->fields() != $before) {
    fwrite(STDERR, "the reloaded record differs from the one before the restart\n");
    exit(1);
}
echo "reloaded {$inc->id()} in state {$inc->state()} with " . count($inc->timeline()) . " timeline entries\n";
$fired = $desk->tick();
echo "tick: $fired timer(s) fired; resolution breached: "
    . ($inc->timer('resolution')->breached ? 'yes' : 'no') . "\n";

// A shift handover, then the fix.
$pkt = $inc->packet('shift', ['receiver' => 'sd.tom', 'next_update' => $now->modify('+1 hour')]);
$pkt->propose();
$pkt->acknowledge('sd.tom');
echo "handed over to {$inc->assignee} (completeness {$pkt->completeness()->score}%)\n";
$desk->setActor('sd.tom');
$inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'connection pool raised to 200']);
echo "resolved at {$inc->resolved_at->format(DATE_ATOM)}; state {$inc->state()}\n";

$report = $desk->report(kinds: 'incident');
$f = $report->figures();
printf("report: %d incident(s), %d resolved, first-contact rate %.0f%%, SLA compliance %.0f%%\n",
    $report->total(), $f->resolved, 100 * $f->firstContactRate, 100 * $report->sla()->compliance);
$rows = (new PDO("sqlite:$path"))->query('SELECT COUNT(*) FROM itsm_events')->fetchColumn();
echo "the database holds $rows events\n";
$desk->close();
if ($temporary) {
    unlink($path);
}
