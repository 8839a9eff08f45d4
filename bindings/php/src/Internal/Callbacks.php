<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use DateTimeInterface;
use FFI;
use FFI\CData;
use Itsm\Allocator;
use Itsm\Event;
use Itsm\Exception\Conflict;
use Itsm\Exception\StoreError;
use Itsm\GroupStore;
use Itsm\RecordStore;
use Itsm\Store;

/**
 * What the C library calls back: the engine's store, clock and sink,
 * wrapped so that no PHP exception ever crosses a C frame (PHP's FFI ends
 * the process on one). A trampoline catches any Throwable, keeps the first
 * one in $pending and returns the library's failure value (ITSM_EUSER for
 * the store; an out-of-range time for the clock, so the engine refuses the
 * step); the engine re-throws it once the C call has returned.
 *
 * The trampolines hold this object, never the Engine: PHP's FFI keeps a
 * callback (and what it captures) until the end of the request, and an
 * Engine captured there could never be destructed. close() drops the host's
 * objects from here, so only this small shell stays behind.
 *
 * @internal
 */
final class Callbacks
{
    public ?\Throwable $pending = null;
    /** A Conflict or StoreError a store threw on purpose: the engine reports the code, this is its cause. */
    public ?\Throwable $cause = null;
    public bool $closed = false;
    /** How many callbacks are running now (close() is refused inside one). */
    public int $depth = 0;

    /** @var (callable(): (DateTimeInterface|int))|null */
    public $clock = null;
    /** @var (callable(list<Event>): void)|null */
    public $sink = null;

    public function __construct(public ?Store $store = null)
    {
    }

    public function keep(\Throwable $e): void
    {
        $this->pending ??= $e;
    }

    /** Take the exception a callback threw (and the store's cause), clearing both. */
    public function take(): array
    {
        $r = [$this->pending, $this->cause];
        $this->pending = $this->cause = null;
        return $r;
    }

    public function release(): void
    {
        $this->closed = true;
        $this->store = null;
        $this->clock = null;
        $this->sink = null;
    }

    // ---- the trampolines (closures handed to C) -----------------------------

    public function appendFn(): \Closure
    {
        return function ($user, $events, $n): int {
            if ($this->closed || $this->store === null) {
                return Native::ITSM_EUSER;
            }
            $this->depth++;
            try {
                $this->store->append(Event::batch($events, (int) $n));
                return Native::ITSM_OK;
            } catch (Conflict | StoreError $e) {
                $this->cause = $e;
                return $e->getCode();
            } catch (\Throwable $e) {
                $this->keep($e);
                return Native::ITSM_EUSER;
            } finally {
                $this->depth--;
            }
        };
    }

    public function scanFn(): \Closure
    {
        return function ($user, $emit, $ctx): int {
            if ($this->closed || $this->store === null) {
                return Native::ITSM_EUSER;
            }
            $this->depth++;
            try {
                foreach ($this->store->scan() as $doc) {
                    if (!is_string($doc)) {
                        throw new \TypeError('a store\'s scan() must yield JSON strings, not ' . get_debug_type($doc));
                    }
                    $rc = $emit($ctx, $doc, strlen($doc));
                    if ($rc !== Native::ITSM_OK) {
                        return $rc;
                    }
                }
                return Native::ITSM_OK;
            } catch (\Throwable $e) {
                $this->keep($e);
                return Native::ITSM_EUSER;
            } finally {
                $this->depth--;
            }
        };
    }

    /** read_record: one record's events, for Record::history() (only set for a RecordStore). */
    public function readRecordFn(): \Closure
    {
        return function ($user, $recordId, $emit, $ctx): int {
            if ($this->closed || !$this->store instanceof RecordStore) {
                return Native::ITSM_EUSER;
            }
            $this->depth++;
            try {
                $id = is_string($recordId) ? $recordId : FFI::string($recordId);
                foreach ($this->store->readRecord($id) as $doc) {
                    if (!is_string($doc)) {
                        throw new \TypeError('a store\'s readRecord() must yield JSON strings, not '
                            . get_debug_type($doc));
                    }
                    $rc = $emit($ctx, $doc, strlen($doc));
                    if ($rc !== Native::ITSM_OK) {
                        return $rc;
                    }
                }
                return Native::ITSM_OK;
            } catch (\Throwable $e) {
                $this->keep($e);
                return Native::ITSM_EUSER;
            } finally {
                $this->depth--;
            }
        };
    }

    /** group: the store's group of appends (only set for a GroupStore). */
    public function groupFn(): \Closure
    {
        return function ($user, $op): int {
            if ($this->closed || !$this->store instanceof GroupStore) {
                return Native::ITSM_EUSER;
            }
            $this->depth++;
            try {
                $this->store->group((int) $op);
                return Native::ITSM_OK;
            } catch (Conflict | StoreError $e) {
                $this->cause = $e;
                return $e->getCode();
            } catch (\Throwable $e) {
                $this->keep($e);
                return Native::ITSM_EUSER;
            } finally {
                $this->depth--;
            }
        };
    }

    public function clockFn(): \Closure
    {
        return function ($user): int {
            if ($this->closed || $this->clock === null) {
                return Native::ITSM_TIME_NONE;
            }
            $this->depth++;
            try {
                $t = ($this->clock)();
                if (!$t instanceof DateTimeInterface && !is_int($t)) {
                    throw new \TypeError('the clock must return a DateTimeInterface or int seconds, not '
                        . get_debug_type($t));
                }
                return Convert::time($t, "the clock's time");
            } catch (\Throwable $e) {
                $this->keep($e);
                // Out of range on purpose: the engine refuses the step.
                return Native::ITSM_TIME_NONE;
            } finally {
                $this->depth--;
            }
        };
    }

    public function sinkFn(): \Closure
    {
        return function ($user, $events, $n): void {
            if ($this->closed || $this->sink === null) {
                return;
            }
            $this->depth++;
            try {
                ($this->sink)(Event::batch($events, (int) $n));
            } catch (\Throwable $e) {
                $this->keep($e);
            } finally {
                $this->depth--;
            }
        };
    }

    /**
     * The allocator's three trampolines. They do not look at $closed: the
     * packets, reports and policy copies an engine made are freed through
     * them after the engine is gone.
     *
     * @return array{\Closure, \Closure, \Closure}
     */
    public function allocatorFns(Allocator $alloc): array
    {
        return [
            function ($user, $size) use ($alloc): ?CData {
                try {
                    return $alloc->malloc((int) $size);
                } catch (\Throwable $e) {
                    $this->keep($e);
                    return null;
                }
            },
            function ($user, $ptr, $size) use ($alloc): ?CData {
                try {
                    return $alloc->realloc($ptr, (int) $size);
                } catch (\Throwable $e) {
                    $this->keep($e);
                    return null;
                }
            },
            function ($user, $ptr) use ($alloc): void {
                try {
                    $alloc->free($ptr);
                } catch (\Throwable $e) {
                    $this->keep($e);
                }
            },
        ];
    }
}
