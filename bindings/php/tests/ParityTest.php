<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Library;
use Itsm\Policy;
use Itsm\Store\MemoryStore;
use Itsm\Tests\Support\Clock;
use PHPUnit\Framework\TestCase;

/**
 * Parity with C: the figures the binding gives are the ones a C host gets
 * from the same events. A PHP engine runs a desk's day (business-hours SLA,
 * a pause, reassignments, a reopen, breaches, an OLA); the C program
 * bindings/parity/figures.c replays what its store kept into a plain C
 * engine and prints the report's durations (p50..p99), SLA compliance and
 * process figures, its breakdown by group, every record's state, reopens
 * and first-contact resolution and its four timers, which the binding must
 * match (the Python binding's tests/test_parity.py: the same program and
 * scenario).
 */
final class ParityTest extends TestCase
{
    private static string $dir = '';
    private static string $exe = '';

    public static function setUpBeforeClass(): void
    {
        $include = getenv('ITSM_INCLUDE_DIR') ?: dirname(__DIR__, 3) . '/include';
        $cc = getenv('CC') ?: 'cc';
        self::$dir = sys_get_temp_dir() . '/itsm-php-parity-' . bin2hex(random_bytes(6));
        mkdir(self::$dir);
        $built = getenv('ITSM_PARITY_FIGURES');
        if ($built) {   // built by CMake with the library's flags (sanitizers too)
            self::$exe = $built;
            return;
        }
        self::$exe = self::$dir . '/figures';
        $lib = Library::path();
        $cmd = [$cc, '-std=c11', '-I', $include, '-o', self::$exe, dirname(__DIR__, 2) . '/parity/figures.c',
                $lib, '-Wl,-rpath,' . dirname($lib)];
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
        $out = (string) stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        if (proc_close($proc) !== 0) {
            self::fail("figures.c does not build:\n$out");
        }
    }

    public static function tearDownAfterClass(): void
    {
        foreach (glob(self::$dir . '/*') ?: [] as $f) {
            unlink($f);
        }
        @rmdir(self::$dir);
    }

    /** @return array{Engine, MemoryStore, \DateTimeImmutable} */
    private function deskDay(): array
    {
        $pol = Policy::default()
            ->setCalendar('office', ['mon' => ['09:00', '17:00'], 'tue' => ['09:00', '17:00'],
                'wed' => ['09:00', '17:00'], 'thu' => ['09:00', '17:00'], 'fri' => ['09:00', '17:00'],
                'sat' => null, 'sun' => null])
            ->setSla('std', response: [900, 1800, 3600, 14400, 28800],
                resolution: [4 * 3600, 8 * 3600, 16 * 3600, 24 * 3600, 40 * 3600], calendar: 'office')
            ->setDefaultSla('std')
            ->setPause('awaiting_customer', ['resolution'])
            ->setOla('network', 7200);
        $clock = new Clock();
        $store = new MemoryStore();
        $eng = new Engine(policy: $pol, store: $store, clock: $clock, actor: 'sd.maria');
        for ($i = 0; $i < 12; $i++) {
            $clock->advance('+' . (5 + 3 * $i) . ' minutes');
            $inc = $eng->open('incident', ['summary' => "case $i", 'caller' => 'bob', 'service' => 'mail',
                'category' => 'email', 'impact' => 1 + $i % 3, 'urgency' => 1 + intdiv($i, 3) % 3]);
            $inc->fire('assign', ['assignment_group' => $i % 2 ? 'desk' : 'network']);
            $clock->advance('+' . (4 + 9 * $i) . ' minutes');
            $inc->fire('start', ['assignee' => 'nina']);
            if ($i % 4 === 1) {
                $inc->update(['assignment_group' => 'messaging']);
                $inc->update(['assignment_group' => 'desk']);
            }
            if ($i % 3 === 0) {
                $inc->fire('hold', ['hold_reason' => 'awaiting_customer']);
                $clock->advance('+3 hours');
                $inc->fire('resume', ['assignee' => 'nina']);
            }
            if ($i % 5 !== 4) {
                $clock->advance('+' . (50 + 40 * $i) . ' minutes');
                $inc->fire('resolve', ['resolution_code' => 'fixed', 'resolution_notes' => 'done']);
            }
            if ($i === 2) {
                $clock->advance('+1 hour');
                $inc->fire('reopen', ['assignee' => 'nina']);
            }
            if ($i % 6 === 5) {
                $inc->addNote('update sent', 'customer', expectedRestoration: $clock->now->modify('+5 hours'),
                    nextUpdate: $clock->now->modify('+2 hours'));
            }
        }
        $clock->advance('+2 days 3 hours');
        $eng->tick();
        return [$eng, $store, $clock->now];
    }

    public function testReportAndTimersMatchACHost(): void
    {
        [$eng, $store, $now] = $this->deskDay();
        // the C host carries its own sanitizer runtime when it has one: the
        // one preloaded into php for the library would clash with it
        $env = getenv();
        unset($env['LD_PRELOAD']);
        $proc = proc_open([self::$exe, (string) $now->getTimestamp()],
            [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        fwrite($pipes[0], implode('', array_map(fn (string $d) => "$d\n", $store->events)));
        fclose($pipes[0]);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $this->assertSame(0, proc_close($proc), $err);
        $rows = array_map(fn (string $l) => explode(' ', $l), explode("\n", trim($out)));

        $rep = $eng->report(now: $now);
        $measures = 0;
        foreach ($rows as $row) {
            if ($row[0] !== 'duration') {
                continue;
            }
            $measures++;
            $st = $rep->duration($row[1]);
            $this->assertSame((int) $row[2], $st->count, $row[1]);
            $this->assertEqualsWithDelta((float) $row[3], $st->mean, 0.001, $row[1]);
            $this->assertSame(array_map('intval', array_slice($row, 4)),
                [$st->min, $st->max, $st->p50, $st->p90, $st->p95, $st->p99], $row[1]);
        }
        $this->assertSame(6, $measures);
        $this->assertGreaterThan(5, $rep->duration('resolve_work')->count);

        $sla = array_values(array_filter($rows, fn ($r) => $r[0] === 'sla'))[0];
        $s = $rep->sla();
        $this->assertSame([(int) $sla[1], (int) $sla[2], (int) $sla[3]], [$s->tracked, $s->met, $s->breached]);
        $this->assertEqualsWithDelta((float) $sla[4], $s->compliance, 1e-5);
        $this->assertGreaterThan(0, $s->met);
        $this->assertGreaterThan(0, $s->breached);

        $fig = array_values(array_filter($rows, fn ($r) => $r[0] === 'figures'))[0];
        $f = $rep->figures();
        $this->assertSame([(int) $fig[1], (int) $fig[2], (int) $fig[4], (int) $fig[5], (int) $fig[6], (int) $fig[7],
            (int) $fig[8]], [$f->resolved, $f->firstContact, $f->reassignments, $f->reassignedRecords,
            $f->everResolved, $f->reopenedRecords, $f->reopens]);
        $this->assertEqualsWithDelta((float) $fig[3], $f->firstContactRate, 1e-5);
        $this->assertEqualsWithDelta((float) $fig[9], $f->reopenRate, 1e-5);
        $this->assertSame(1, $f->reopens);

        // A reopened record back in work is not resolved, nor resolved at
        // first contact: in the report, its group's row and the record.
        $this->assertLessThan($f->everResolved, $f->resolved);
        $byGroup = $eng->report(now: $now, groupBy: 'assignment_group');
        $groups = array_map(fn ($g) => [$g->value ?? '-', $g->count, $g->resolved, $g->met, $g->breached],
            $byGroup->groups());
        $this->assertSame(array_values(array_map(fn ($r) => [$r[1], (int) $r[2], (int) $r[3], (int) $r[4], (int) $r[5]],
            array_filter($rows, fn ($r) => $r[0] === 'group'))), $groups);
        $this->assertSame($f->resolved, array_sum(array_column($groups, 2)));
        $records = array_values(array_filter($rows, fn ($r) => $r[0] === 'record'));
        $this->assertSame(array_map(fn ($r) => $r->id(), iterator_to_array($eng, false)),
            array_column($records, 1));
        foreach ($records as [, $rid, $state, $reopens, $fcr]) {
            $rec = $eng->find($rid);
            $this->assertSame([$state, (int) $reopens, (bool) (int) $fcr],
                [$rec->state(), $rec->reopens, $rec->firstContactResolution()], $rid);
        }
        $reopened = $eng->find('INC-000003');
        $this->assertSame(['in_progress', 1, false],
            [$reopened->state(), $reopened->reopens, $reopened->firstContactResolution()]);
        $this->assertSame($f->firstContact, count(array_filter($records, fn ($r) => $r[4] === '1')));

        $names = ['response', 'resolution', 'ola', 'next_update'];
        $statuses = ['none', 'running', 'paused', 'stopped'];
        $timers = 0;
        $seen = [];
        foreach ($rows as $row) {
            if ($row[0] !== 'timer') {
                continue;
            }
            $timers++;
            [, $rid, $t, $status, $breached, $target, $elapsed, $paused, $due, $remaining, $warnings] = $row;
            $tm = $eng->find($rid)->timer($names[(int) $t], now: $now);
            $what = "$rid {$tm->name}";
            $seen[$tm->status] = true;
            $this->assertSame($statuses[(int) $status], $tm->status, $what);
            $this->assertSame((bool) (int) $breached, $tm->breached, $what);
            $this->assertSame((int) $target, $tm->target ?? 0, $what);
            $this->assertSame([(int) $elapsed, (int) $paused, (int) $remaining, (int) $warnings],
                [$tm->elapsed, $tm->paused, $tm->remaining, $tm->warnings], $what);
            $this->assertSame((int) $due === -1 ? null : (int) $due, $tm->due?->getTimestamp(), $what);
        }
        $this->assertSame(4 * count($eng), $timers);
        $this->assertArrayHasKey('running', $seen);
        $this->assertArrayHasKey('stopped', $seen);
        $eng->close();
    }
}
