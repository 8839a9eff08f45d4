<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\Internal\Native;

/**
 * Base class of every error the library reports. getCode() is the negative
 * ITSM_E* value, getMessage() the engine's own explanation (itsm_errmsg),
 * errorName() the symbolic name ("ITSM_EGUARD"). Each code has its own
 * subclass; fromCode() picks it.
 */
class ItsmException extends \RuntimeException
{
    /** The ITSM_E* value of this class. */
    public const CODE = 0;

    private const CLASSES = [
        Native::ITSM_ENOMEM => OutOfMemory::class,
        Native::ITSM_EINVAL => InvalidArgument::class,
        Native::ITSM_ENOTFOUND => NotFound::class,
        Native::ITSM_EEXISTS => AlreadyExists::class,
        Native::ITSM_ETRANSITION => TransitionRefused::class,
        Native::ITSM_EGUARD => GuardFailed::class,
        Native::ITSM_ECONFLICT => Conflict::class,
        Native::ITSM_ESTORE => StoreError::class,
        Native::ITSM_EPARSE => ParseError::class,
        Native::ITSM_ELIMIT => LimitExceeded::class,
        Native::ITSM_EPOLICY => PolicyError::class,
        Native::ITSM_ESTATE => StateError::class,
        Native::ITSM_EUSER => UserError::class,
        Native::ITSM_ECLOCK => ClockError::class,
        Native::ITSM_ETAMPER => TamperedStore::class,
    ];

    /**
     * @param string $message the explanation; "" gives the library's short
     *   description of the code (itsm_errstr)
     * @param int|null $code the ITSM_E* value; null: the class's own
     */
    public function __construct(string $message = '', ?int $code = null, ?\Throwable $previous = null)
    {
        $code ??= static::CODE;
        if ($message === '') {
            $message = (string) Native::ffi()->itsm_errstr($code);
        }
        parent::__construct($message, $code, $previous);
    }

    /** The exception class for an ITSM_E* code. */
    public static function classFor(int $code): string
    {
        return self::CLASSES[$code] ?? self::class;
    }

    /** An exception of the right class for an ITSM_E* code. */
    public static function fromCode(int $code, string $message = '', ?\Throwable $previous = null): self
    {
        $class = self::classFor($code);
        return new $class($message, $code, $previous);
    }

    /** The code's symbolic name, e.g. "ITSM_EGUARD". */
    public function errorName(): string
    {
        return (string) Native::ffi()->itsm_errname($this->getCode());
    }
}
