<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Store;

use Itsm\Exception\Conflict;
use Itsm\Exception\StoreError;
use Itsm\GroupStore;
use Itsm\RecordStore;
use PDO;

/**
 * Events in one table of a PDO database (tested with SQLite; the SQL is
 * plain enough for MySQL/MariaDB and PostgreSQL).
 *
 * One row per event: seq (append order), record_id, revision (unique
 * together), type, kind, at, actor and the JSON. Each append() is one
 * transaction that checks revisions first, so several engines (processes)
 * can share one database: the loser of a race gets Exception\Conflict,
 * catches up with Engine::load() and retries.
 *
 * The PDO handle is the host's: the store never closes it, and switches it
 * to exceptions (PDO::ERRMODE_EXCEPTION) so that no failure goes unseen.
 */
final class PdoStore implements RecordStore, GroupStore, \Countable
{
    private readonly string $table;
    /** A group is open: one transaction holds its appends, each in a savepoint. */
    private bool $inGroup = false;

    public function __construct(private readonly PDO $pdo, string $table = 'itsm_events', bool $create = true)
    {
        if (!preg_match('/^[A-Za-z_][A-Za-z0-9_]*$/', $table)) {
            throw new \InvalidArgumentException("table name '$table' is not a plain identifier");
        }
        $this->table = $table;
        $pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
        if ($create) {
            $seq = match ($pdo->getAttribute(PDO::ATTR_DRIVER_NAME)) {
                'sqlite' => 'INTEGER PRIMARY KEY AUTOINCREMENT',
                'pgsql' => 'BIGSERIAL PRIMARY KEY',
                default => 'BIGINT PRIMARY KEY AUTO_INCREMENT',
            };
            $pdo->exec("CREATE TABLE IF NOT EXISTS $table (
                seq $seq,
                record_id VARCHAR(64) NOT NULL,
                revision BIGINT NOT NULL,
                type VARCHAR(64) NOT NULL,
                kind VARCHAR(32) NOT NULL,
                at CHAR(20) NOT NULL,
                actor VARCHAR(255),
                json TEXT NOT NULL,
                UNIQUE (record_id, revision))");
        }
    }

    public function append(array $events): void
    {
        $t = $this->table;
        $this->begin();
        try {
            $newest = $this->pdo->prepare("SELECT MAX(revision) FROM $t WHERE record_id = ?");
            Revisions::check($events, function (string $id) use ($newest): int {
                $newest->execute([$id]);
                return (int) $newest->fetchColumn();
            });
            $insert = $this->pdo->prepare(
                "INSERT INTO $t (record_id, revision, type, kind, at, actor, json) VALUES (?, ?, ?, ?, ?, ?, ?)");
            foreach ($events as $e) {
                // a policy event (a version's document) is of no record kind: its type names it
                $kind = $e->recordKind !== '' ? $e->recordKind : $e->type;
                $insert->execute([$e->recordId, $e->revision, $e->type, $kind,
                    $e->time->format('Y-m-d\TH:i:s\Z'), $e->actor, $e->json]);
            }
            $this->commit();
        } catch (\PDOException $e) {
            $this->rollBack();
            if ($e->getCode() === '23000' || $e->getCode() === '23505') {   // a unique key: someone else won
                throw new Conflict("another writer stored the same revision first ({$e->getMessage()})", null, $e);
            }
            throw $e;
        } catch (\Throwable $e) {
            $this->rollBack();
            throw $e;
        }
    }

    public function scan(): iterable
    {
        $st = $this->pdo->query("SELECT json FROM {$this->table} ORDER BY seq");
        while (($json = $st->fetchColumn()) !== false) {
            yield (string) $json;
        }
    }

    /** One record's events in revision order: one range read of the (record_id, revision) index. */
    public function readRecord(string $recordId): iterable
    {
        $st = $this->pdo->prepare("SELECT json FROM {$this->table} WHERE record_id = ? ORDER BY revision");
        $st->execute([$recordId]);
        while (($json = $st->fetchColumn()) !== false) {
            yield (string) $json;
        }
    }

    /**
     * The kept events' JSON in append order, of one record or all.
     *
     * @return list<string>
     */
    public function events(?string $recordId = null): array
    {
        if ($recordId === null) {
            $st = $this->pdo->query("SELECT json FROM {$this->table} ORDER BY seq");
        } else {
            $st = $this->pdo->prepare("SELECT json FROM {$this->table} WHERE record_id = ? ORDER BY seq");
            $st->execute([$recordId]);
        }
        return array_map('strval', $st->fetchAll(PDO::FETCH_COLUMN));
    }

    public function count(): int
    {
        return (int) $this->pdo->query("SELECT COUNT(*) FROM {$this->table}")->fetchColumn();
    }

    private function sqlite(): bool
    {
        return $this->pdo->getAttribute(PDO::ATTR_DRIVER_NAME) === 'sqlite';
    }

    /** A group is one transaction; each append in it is a savepoint, kept or dropped whole. */
    public function group(int $op): void
    {
        if ($op === GroupStore::GROUP_BEGIN) {
            if ($this->inGroup) {
                throw new StoreError('a group is open already');
            }
            $this->begin();
            $this->inGroup = true;
            return;
        }
        if (!$this->inGroup || ($op !== GroupStore::GROUP_COMMIT && $op !== GroupStore::GROUP_ABORT)) {
            throw new StoreError($this->inGroup ? "unknown group op $op" : 'no group is open');
        }
        $this->inGroup = false;
        if ($op === GroupStore::GROUP_ABORT) {
            $this->rollBack();
            return;
        }
        try {
            $this->commit();
        } catch (\PDOException $e) {
            $this->rollBack();
            throw new StoreError("the group was not kept ({$e->getMessage()})", null, $e);
        }
    }

    private function begin(): void
    {
        if ($this->inGroup) {
            $this->pdo->exec('SAVEPOINT itsm_append');
            return;
        }
        if ($this->sqlite()) {
            // Take the write lock first, so two processes cannot both pass the check.
            $this->pdo->exec('BEGIN IMMEDIATE');
        } else {
            $this->pdo->beginTransaction();
        }
    }

    private function commit(): void
    {
        if ($this->inGroup) {
            $this->pdo->exec('RELEASE SAVEPOINT itsm_append');
            return;
        }
        if ($this->sqlite()) {
            $this->pdo->exec('COMMIT');
        } else {
            $this->pdo->commit();
        }
    }

    private function rollBack(): void
    {
        try {
            if ($this->inGroup) {
                $this->pdo->exec('ROLLBACK TO SAVEPOINT itsm_append');
                $this->pdo->exec('RELEASE SAVEPOINT itsm_append');
            } elseif ($this->sqlite()) {
                $this->pdo->exec('ROLLBACK');
            } elseif ($this->pdo->inTransaction()) {
                $this->pdo->rollBack();
            }
        } catch (\PDOException) {
            // no transaction was open (BEGIN itself failed)
        }
    }
}
