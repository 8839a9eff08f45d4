<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Tests;

use Itsm\Engine;
use Itsm\Exception\AlreadyExists;
use Itsm\Exception\ClockError;
use Itsm\Exception\Conflict;
use Itsm\Exception\GuardFailed;
use Itsm\Exception\InvalidArgument;
use Itsm\Exception\ItsmException;
use Itsm\Exception\LimitExceeded;
use Itsm\Exception\NotFound;
use Itsm\Exception\OutOfMemory;
use Itsm\Exception\ParseError;
use Itsm\Exception\PolicyError;
use Itsm\Exception\StateError;
use Itsm\Exception\StoreError;
use Itsm\Exception\TamperedStore;
use Itsm\Exception\TransitionRefused;
use Itsm\Exception\UserError;
use Itsm\JsonLimits;
use Itsm\Library;
use Itsm\Packet;
use Itsm\Policy;
use PHPUnit\Framework\TestCase;

/** One exception class per error code, all ItsmException, carrying the engine's message. */
final class ErrorsTest extends TestCase
{
    public function testEveryCodeHasItsOwnClassUnderItsmException(): void
    {
        $classes = [-1 => OutOfMemory::class, -2 => InvalidArgument::class, -3 => NotFound::class,
            -4 => AlreadyExists::class, -5 => TransitionRefused::class, -6 => GuardFailed::class,
            -7 => Conflict::class, -8 => StoreError::class, -9 => ParseError::class, -10 => LimitExceeded::class,
            -11 => PolicyError::class, -12 => StateError::class, -13 => UserError::class,
            -14 => ClockError::class, -15 => TamperedStore::class];
        foreach ($classes as $code => $class) {
            $e = ItsmException::fromCode($code);
            $this->assertInstanceOf($class, $e);
            $this->assertInstanceOf(ItsmException::class, $e);
            $this->assertInstanceOf(\RuntimeException::class, $e);
            $this->assertSame($code, $e->getCode());
            $this->assertSame($class::CODE, $code);
            $this->assertSame(Library::errname($code), $e->errorName());
            $this->assertSame(Library::errstr($code), $e->getMessage(), 'no message: the library\'s description');
        }
        $this->assertSame(ItsmException::class, get_class(ItsmException::fromCode(-99)));
        $this->assertSame('ITSM_ENOMEM', (new OutOfMemory())->errorName());
    }

    public function testTheMessageIsTheEnginesOwn(): void
    {
        $eng = new Engine();
        try {
            $eng->find('INC-424242');
            $this->fail('found');
        } catch (NotFound $e) {
            $this->assertSame((string) \Itsm\Internal\Native::ffi()->itsm_errmsg($eng->ptr()), $e->getMessage());
            $this->assertStringContainsString('INC-424242', $e->getMessage());
        }
    }

    public function testAMalformedEventGivesParseErrorWithItsPosition(): void
    {
        $eng = new Engine();
        try {
            $eng->replay("{\"v\":1,\n  \"v\":2}");
            $this->fail('replayed');
        } catch (ParseError $e) {
            $this->assertSame(2, $e->documentLine());
            $this->assertGreaterThan(1, $e->documentColumn());
            $this->assertGreaterThan(0, $e->documentOffset());
            $this->assertStringContainsString('duplicate', $e->reason());
        }
    }

    public function testLimitsAreLimitExceededWithAPosition(): void
    {
        try {
            Policy::fromJson(str_repeat('[', 10) . str_repeat(']', 10), limits: new JsonLimits(maxDepth: 4));
            $this->fail('parsed');
        } catch (LimitExceeded $e) {
            $this->assertSame(1, $e->documentLine());
            $this->assertSame(5, $e->documentColumn());
        }
    }

    public function testPacketParseErrorsPointAtTheSpot(): void
    {
        try {
            Packet::fromJson('{"version": 1, "kind": "nope"}');
            $this->fail('parsed');
        } catch (ParseError $e) {
            $this->assertSame(1, $e->documentLine());
            $this->assertStringContainsString('packet line 1', $e->getMessage());
        }
    }

    public function testOutOfMemoryIsItsOwnClass(): void
    {
        $e = ItsmException::fromCode(-1, 'out of memory');
        $this->assertInstanceOf(OutOfMemory::class, $e);
        $this->assertSame('out of memory', $e->getMessage());
    }
}
