<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm;

use DateTimeImmutable;
use DateTimeInterface;
use FFI;
use FFI\CData;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\ItsmException;
use Itsm\Exception\LimitExceeded;
use Itsm\Exception\NotFound;
use Itsm\Exception\ParseError;
use Itsm\Exception\PolicyError;
use Itsm\Exception\StateError;
use Itsm\Internal\Callbacks;
use Itsm\Internal\Changes;
use Itsm\Internal\Convert;
use Itsm\Internal\EngineServices;
use Itsm\Internal\Native;

/**
 * An itsm engine: the records, a policy, the host's store, clock and sink.
 *
 * Lifetime: close() frees the C engine and every record at once;
 * otherwise __destruct does, when the last reference goes. A Record keeps
 * its engine alive. After close(), every call on the engine or its records
 * throws StateError ("engine is closed") and touches no freed memory.
 *
 * Callbacks: the store, clock and sink are called from C. An exception
 * thrown in one never crosses a C frame: it is caught, the library gets
 * ITSM_EUSER (the clock: an out-of-range time, so the step is refused),
 * and the very same exception is re-thrown once the C call has returned.
 * When a store throws, nothing changed. The sink runs after the change was
 * applied: the change stands and the sink's exception still reaches the
 * caller. A callback that calls back into its own engine gets StateError.
 *
 * One engine must be used by one thread at a time (engine.h).
 *
 * @implements \IteratorAggregate<int, Record>
 */
final class Engine implements \IteratorAggregate, \Countable
{
    use EngineServices;

    private ?CData $ptr = null;
    private Callbacks $callbacks;
    private ?string $actor = null;
    /** @var array<string, \WeakReference<Record>> */
    private array $records = [];
    /** Reloads so far (rollback, failed commit): the engine's packets PHP holds find theirs again. */
    private int $reloads = 0;

    /**
     * @param Policy|string|null $policy a Policy or a policy document (JSON); copied. null: the default policy
     * @param Store|null $store where events are kept; null: memory only, lost with the engine
     * @param (callable(): (DateTimeInterface|int))|null $clock the current time (a DateTimeInterface or
     *   int seconds since the epoch); null: the system clock
     * @param (callable(list<Event>): void)|null $sink told about each accepted batch of events, after it
     *   is applied; it must not call back into the engine
     * @param string|null $actor who makes the following changes (see setActor())
     * @param JsonLimits|null $limits bounds for replayed documents
     * @param bool $load replay the store right away (load())
     * @param Allocator|null $allocator the engine's allocator (tests only: see Allocator); null: libc
     */
    public function __construct(
        Policy|string|null $policy = null,
        private readonly ?Store $store = null,
        ?callable $clock = null,
        ?callable $sink = null,
        ?string $actor = null,
        ?JsonLimits $limits = null,
        bool $load = false,
        ?Allocator $allocator = null,
    ) {
        $ffi = Native::ffi();
        $this->callbacks = $cb = new Callbacks($store);
        $opts = $ffi->new('itsm_engine_opts');
        $ffi->itsm_engine_opts_init(FFI::addr($opts), Native::ITSM_ENGINE_OPTS_VERSION);

        $ownPolicy = null;
        if (is_string($policy)) {
            $policy = $ownPolicy = Policy::fromJson($policy);
        }
        if ($policy !== null) {
            $opts->policy = $policy->cdata();
        }
        $table = null;
        if ($store !== null) {
            $table = $ffi->new('itsm_store');
            $table->version = Native::ITSM_STORE_VERSION;
            $table->append = $cb->appendFn();
            $table->scan = $cb->scanFn();
            if ($store instanceof RecordStore) {
                $table->read_record = $cb->readRecordFn();
            }
            if ($store instanceof GroupStore) {
                $table->group = $cb->groupFn();
            }
            $opts->store = FFI::addr($table);
        }
        if ($clock !== null) {
            $cb->clock = $clock;
            $opts->clock = $cb->clockFn();
        }
        if ($sink !== null) {
            $cb->sink = $sink;
            $opts->sink = $cb->sinkFn();
        }
        $limits?->fill($opts->limits);
        if ($allocator !== null) {
            [$opts->alloc->malloc_fn, $opts->alloc->realloc_fn, $opts->alloc->free_fn] = $cb->allocatorFns($allocator);
        }

        // The engine has no message yet when creation fails: it goes here.
        $why = $ffi->new('char[256]');
        $opts->errmsg = FFI::cast('char *', FFI::addr($why));
        $opts->errmsg_cap = FFI::sizeof($why);
        $out = $ffi->new('itsm_engine*');
        $rc = $ffi->itsm_engine_new(FFI::addr($out), FFI::addr($opts));
        [$pending] = $cb->take();
        $ownPolicy?->close();
        if ($rc !== Native::ITSM_OK) {
            $cb->release();
            if ($pending !== null) {
                throw $pending;
            }
            if ($rc === Native::ITSM_EPOLICY && $policy instanceof Policy) {
                $findings = $policy->check();
                throw PolicyError::withFindings('the policy has findings: ' . implode('; ', $findings), $findings);
            }
            throw ItsmException::fromCode($rc, FFI::string($why));
        }
        $this->ptr = $out;
        try {
            if ($actor !== null) {
                $this->setActor($actor);
            }
            if ($load) {
                $this->load();
            }
        } catch (\Throwable $e) {
            // PHP runs no destructor for an object whose constructor threw: free it here.
            $this->close();
            throw $e;
        }
    }

    // ---- plumbing (for the binding's own classes) ----------------------------

    /** @internal the C engine; StateError once closed */
    /** @internal how many times the engine reloaded from its store (Packet::use()) */
    public function reloads(): int
    {
        return $this->reloads;
    }

    public function ptr(): CData
    {
        if ($this->ptr === null) {
            throw new StateError('engine is closed');
        }
        return $this->ptr;
    }

    /**
     * @internal After a C call on this engine: re-throw what a callback
     * threw, or throw the error the engine reported (with its message, and
     * the parse position when $perr has one).
     */
    public function check(int $rc, ?CData $perr = null): void
    {
        [$pending, $cause] = $this->callbacks->take();
        if ($pending !== null) {
            throw $pending;
        }
        if ($rc >= 0) {
            return;
        }
        $ffi = Native::ffi();
        $msg = '';
        if ($this->ptr !== null && $ffi->itsm_errcode($this->ptr) === $rc) {
            $msg = (string) $ffi->itsm_errmsg($this->ptr);
        }
        $e = self::error($rc, $msg, $perr, $cause);
        if ($e instanceof GuardFailed && $this->ptr !== null) {
            $e->setMissing(self::guardMissing($this->ptr));
        }
        throw $e;
    }

    /**
     * The guard terms the engine's last ITSM_EGUARD missed.
     *
     * @return list<GuardNeed>
     */
    private static function guardMissing(CData $eng): array
    {
        $ffi = Native::ffi();
        $out = [];
        $n = (int) $ffi->itsm_guard_missing_count($eng);
        for ($i = 0; $i < $n; $i++) {
            $g = Native::result('itsm_guard_need');
            if ($ffi->itsm_guard_missing_at($eng, $i, FFI::addr($g)) === Native::ITSM_OK) {
                $out[] = Native::guardNeed($g);
            }
        }
        return $out;
    }

    /** @internal an exception for a code, with a parser's position when there is one */
    public static function error(int $rc, string $msg, ?CData $perr = null, ?\Throwable $cause = null): ItsmException
    {
        $e = ItsmException::fromCode($rc, $msg, $cause);
        if ($perr !== null && $perr->line > 0 && ($e instanceof ParseError || $e instanceof LimitExceeded)) {
            $e->setPosition((int) $perr->line, (int) $perr->column, (int) $perr->offset, Native::chars($perr->text));
        }
        return $e;
    }

    /** @internal the Record for a C record pointer (one object per record while referenced) */
    public function wrap(CData $rptr): Record
    {
        $id = (string) Native::ffi()->itsm_record_id($rptr);
        $rec = isset($this->records[$id]) ? $this->records[$id]->get() : null;
        if ($rec === null) {
            $rec = new Record($this, $rptr, $id);
            $this->records[$id] = \WeakReference::create($rec);
        }
        return $rec;
    }

    // ---- lifetime --------------------------------------------------------------

    /**
     * Free the C engine and every record now. Closing twice is harmless;
     * closing from inside one of the engine's own callbacks is refused.
     */
    public function close(): void
    {
        if ($this->ptr === null) {
            return;
        }
        if ($this->callbacks->depth > 0) {
            throw new StateError('the engine cannot be closed from inside its own callback');
        }
        $ptr = $this->ptr;
        $this->ptr = null;
        Native::ffi()->itsm_engine_free($ptr);
        $this->callbacks->release();
        $this->records = [];
    }

    public function isClosed(): bool
    {
        return $this->ptr === null;
    }

    public function __destruct()
    {
        if ($this->ptr !== null && $this->callbacks->depth === 0) {
            $this->close();
        }
    }

    // ---- engine-wide -----------------------------------------------------------

    /** Name who makes the following changes (recorded on each event); null: nobody. */
    public function setActor(?string $actor): self
    {
        $p = $this->ptr();
        $this->check(Native::ffi()->itsm_engine_set_actor($p, Convert::strOrNull($actor, 'actor')));
        $this->actor = $actor;
        return $this;
    }

    public function actor(): ?string
    {
        $this->ptr();
        return $this->actor;
    }

    /** The engine clock's time. */
    public function now(): DateTimeImmutable
    {
        $t = (int) Native::ffi()->itsm_engine_now($this->ptr());
        $this->check(Native::ITSM_OK);
        return Convert::fromC($t) ?? throw new InvalidArgument('the clock gave no time', Native::ITSM_EINVAL);
    }

    /** A copy of the engine's policy (an independent Policy). */
    public function policy(): Policy
    {
        return Policy::cloneOf(Native::ffi()->itsm_engine_policy($this->ptr()));
    }

    /**
     * Make $policy (copied) the current version (docs/policy.md, "Versions"):
     * new records are under it, open ones move to it at their next event,
     * settled ones (resolved, closed) keep theirs; the store gets the
     * version's document. PolicyError when the version reshapes records
     * (lifecycles, custom fields, stop states, agreements) or has findings;
     * the store's errors as for any change.
     */
    public function adoptPolicy(Policy $policy): void
    {
        $this->check(Native::ffi()->itsm_engine_adopt_policy($this->ptr(), $policy->cdata()));
    }

    /** The current policy version's id (the first 16 hex digits of its Policy::hash()). */
    public function policyVersion(): string
    {
        return (string) Native::ffi()->itsm_engine_policy_version($this->ptr());
    }

    /** The store given to the engine (null: memory only). */
    public function store(): ?Store
    {
        return $this->store;
    }

    // ---- records ---------------------------------------------------------------

    /**
     * Open a record in its lifecycle's initial state.
     *
     * @param string $kind "incident", "service_request", "problem", "change" or "knowledge"
     * @param array<string, mixed> $fields initial values by field name, e.g. ['summary' => 'Mail down', 'impact' => 1]
     * @param string|null $id null: the engine assigns one ("INC-000001")
     */
    public function open(string $kind = 'incident', array $fields = [], ?string $id = null): Record
    {
        $ffi = Native::ffi();
        $changes = new Changes($fields, $ffi->itsm_engine_policy($this->ptr()));
        $o = $ffi->new('itsm_record_opts');
        $ffi->itsm_record_opts_init(FFI::addr($o), Native::ITSM_RECORD_OPTS_VERSION);
        $o->kind = self::kindCode($kind);
        $idBuf = null;
        if ($id !== null) {
            $idBuf = Native::buffer(Convert::str($id, 'id'));
            $o->id = FFI::addr($idBuf[0]);
        }
        $o->fields = $changes->pointer();
        $o->nfields = $changes->count;
        $out = $ffi->new('itsm_record*');
        $p = $this->ptr();
        $this->check($ffi->itsm_record_open(FFI::addr($out), $p, FFI::addr($o)));
        return $this->wrap($out);
    }

    /**
     * A field by name, built in or declared by the engine's policy; NotFound
     * when there is none.
     */
    public function field(string $name): Field
    {
        $ffi = Native::ffi();
        $id = $ffi->new('itsm_field');
        $p = $this->ptr();
        $rc = $ffi->itsm_engine_field(FFI::addr($id), $p, Convert::str($name, 'field name'));
        if ($rc === Native::ITSM_ENOTFOUND) {
            throw new NotFound("no field '$name' (built in or declared by the policy)", Native::ITSM_ENOTFOUND);
        }
        $this->check($rc);
        return Field::named($name, $ffi->itsm_engine_policy($p));
    }

    /** The record with that id; NotFound otherwise. */
    public function find(string $id): Record
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_record*');
        $p = $this->ptr();
        $this->check($ffi->itsm_record_find(FFI::addr($out), $p, Convert::str($id, 'id')));
        return $this->wrap($out);
    }

    /** The record with that id, or null. */
    public function get(string $id): ?Record
    {
        try {
            return $this->find($id);
        } catch (NotFound | InvalidArgument) {
            return null;
        }
    }

    public function has(string $id): bool
    {
        return $this->get($id) !== null;
    }

    public function count(): int
    {
        return (int) Native::ffi()->itsm_engine_record_count($this->ptr());
    }

    /** @return \Generator<int, Record> the records in the order they were opened */
    public function getIterator(): \Generator
    {
        $ffi = Native::ffi();
        for ($i = 0; $i < $this->count(); $i++) {
            $out = $ffi->new('itsm_record*');
            $p = $this->ptr();
            $this->check($ffi->itsm_engine_record_at(FFI::addr($out), $p, $i));
            yield $i => $this->wrap($out);
        }
    }

    /**
     * The records, optionally only of one kind, open or not, in one state.
     * An unknown kind throws InvalidArgument.
     *
     * @return list<Record>
     */
    public function records(?string $kind = null, ?bool $open = null, ?string $state = null): array
    {
        if ($kind !== null) {
            // An unknown kind is refused as report(kinds:) refuses it: a
            // misspelt one would otherwise match nothing.
            $kind = (string) Native::ffi()->itsm_kind_name(self::kindCode($kind));
        }
        $out = [];
        foreach ($this as $r) {
            if (($kind === null || $r->kind() === $kind) && ($open === null || $r->isOpen() === $open)
                && ($state === null || $r->state() === $state)) {
                $out[] = $r;
            }
        }
        return $out;
    }

    // ---- replay ----------------------------------------------------------------

    /**
     * Apply stored events (their JSON form) without calling the store: one
     * document or an iterable of them, each in JSON or the binary form
     * (Event::jsonToBinary). Events a record already has are skipped. A
     * malformed event throws ParseError with its position.
     *
     * @param string|iterable<string> $documents
     */
    public function replay(string|iterable $documents): self
    {
        $ffi = Native::ffi();
        foreach (is_string($documents) ? [$documents] : $documents as $doc) {
            $doc = Convert::document($doc, 'replay()');
            $perr = $ffi->new('itsm_parse_error');
            $p = $this->ptr();
            $this->check($ffi->itsm_engine_replay($p, $doc, strlen($doc), FFI::addr($perr)), $perr);
        }
        return $this;
    }

    /** Replay every event the store's scan() gives. */
    public function load(): self
    {
        $p = $this->ptr();
        $this->check(Native::ffi()->itsm_engine_load($p));
        return $this;
    }

    // ---- group commit ----------------------------------------------------------

    /**
     * Open a group: the changes that follow go into the store's group and
     * become durable together at commit() (itsm_engine_begin). Reads and
     * later calls see each change at once; the sink and other engines only
     * after the commit. The store must be a GroupStore (Store\MemoryStore
     * and Store\PdoStore are): InvalidArgument otherwise; StateError when a
     * group is open already.
     */
    public function begin(): self
    {
        $p = $this->ptr();
        $this->check(Native::ffi()->itsm_engine_begin($p));
        return $this;
    }

    /**
     * Make the open group durable, then tell the sink every change of it.
     * If the store does not keep it, the error is thrown and the engine has
     * gone back to the last commit, reloaded from the store: the Record
     * objects you hold follow their records, and one opened in the group is
     * gone (StateError on use).
     */
    public function commit(): self
    {
        $p = $this->ptr();
        $rc = Native::ffi()->itsm_engine_commit($p);
        if ($rc < 0 && $rc !== Native::ITSM_ESTATE) {
            $this->repointRecords();
        }
        $this->check($rc);
        return $this;
    }

    /** Drop the open group and go back to the last commit, reloaded from the store (records follow, as after a failed commit). */
    public function rollback(): self
    {
        $p = $this->ptr();
        $rc = Native::ffi()->itsm_engine_rollback($p);
        if ($rc !== Native::ITSM_ESTATE) {      // ESTATE: no group was open, nothing reloaded
            $this->repointRecords();
        }
        $this->check($rc);
        return $this;
    }

    /** Events appended in the open group (0 when none is open): commit every N by it. */
    public function groupEvents(): int
    {
        return (int) Native::ffi()->itsm_engine_group_events($this->ptr());
    }

    /**
     * Run $work inside a group: commit when it returns, roll back (and
     * re-throw) when it throws. Returns what $work returned.
     *
     * @template T
     * @param callable(Engine): T $work
     * @return T
     */
    public function transaction(callable $work): mixed
    {
        $this->begin();
        try {
            $result = $work($this);
        } catch (\Throwable $e) {
            $this->rollback();
            throw $e;
        }
        $this->commit();
        return $result;
    }

    /** After a reload, point each live Record at its record's new C object (none for a record the store lacks). */
    private function repointRecords(): void
    {
        $this->reloads++;
        $ffi = Native::ffi();
        foreach ($this->records as $id => $ref) {
            $rec = $ref->get();
            if ($rec === null) {
                unset($this->records[$id]);
                continue;
            }
            $out = $ffi->new('itsm_record *');
            $found = $this->ptr !== null
                && $ffi->itsm_record_find(FFI::addr($out), $this->ptr, (string) $id) === Native::ITSM_OK;
            $rec->repoint($found ? $out : null);
            if (!$found) {
                unset($this->records[$id]);
            }
        }
    }

    // ---- names ---------------------------------------------------------------

    /** @internal a kind name as its C value */
    public static function kindCode(string $kind): int
    {
        $ffi = Native::ffi();
        $out = $ffi->new('itsm_kind');
        if ($ffi->itsm_kind_from_name(FFI::addr($out), Convert::str($kind, 'kind')) !== Native::ITSM_OK) {
            throw new InvalidArgument("unknown record kind '$kind' (one of: " . implode(', ', self::kinds()) . ')',
                Native::ITSM_EINVAL);
        }
        return (int) $out->cdata;
    }

    /** @return list<string> the record kinds the library knows */
    public static function kinds(): array
    {
        $ffi = Native::ffi();
        $out = [];
        for ($k = 1; ($name = $ffi->itsm_kind_name($k)) !== null; $k++) {
            $out[] = $name;
        }
        return $out;
    }

    public function __toString(): string
    {
        return $this->ptr === null ? 'itsm engine (closed)' : "itsm engine ({$this->count()} records)";
    }
}
