"""Signing keys: a PKCS#12 file or a PKCS#11 token (the Vietnamese CAs' USB tokens).

A passphrase or PIN is passed in by the caller (prompted or read from the environment by
the CLI), never logged and never part of an error message. pyHanko, python-pkcs11 and
cryptography are imported here only.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.errors import SigningError
from vanban.issuing.files import read_input

if TYPE_CHECKING:
    from asn1crypto import x509
    from pyhanko.sign.signers import Signer

#: Environment variables a batch run gives the secrets in (the CLI prompts otherwise).
PASSPHRASE_ENV = "VANBAN_MAT_KHAU"
PIN_ENV = "VANBAN_PIN"


@dataclass
class Key:
    """A loaded signing key with its certificate; `close` releases a token session."""

    signer: Signer
    source: str
    closers: list[Callable[[], None]] = field(default_factory=list)
    #: Whether :meth:`check` must prove the key matches the certificate by a test signature
    #: (a token's key); a key file's is compared when it is loaded.
    probe: bool = True

    @property
    def certificate(self) -> x509.Certificate:
        """Return the signer's certificate."""
        cert = self.signer.signing_cert
        assert cert is not None
        return cert

    def close(self) -> None:
        """Release the token session, if any."""
        for close in self.closers:
            close()
        self.closers.clear()

    def __enter__(self) -> Key:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self, moment: datetime) -> None:
        """Raise :class:`SigningError` unless the certificate is valid at `moment` and the
        key matches the certificate (a test signature is verified with its public key)."""
        cert = self.certificate
        validity = cert["tbs_certificate"]["validity"]
        start = validity["not_before"].native
        end = validity["not_after"].native
        subject = common_name(cert)
        if moment < start:
            raise SigningError(
                f"{self.source}: chứng thư số của {subject} chưa có hiệu lực lúc ký "
                f"(hiệu lực từ {start.isoformat()})"
            )
        if moment > end:
            raise SigningError(
                f"{self.source}: chứng thư số của {subject} đã hết hạn ngày {end.date().isoformat()}"
            )
        if not self.probe:
            return
        probe = b"vanban: kiem tra khoa"
        try:
            signature = asyncio.run(self.signer.async_sign_raw(probe, "sha256"))
        except Exception as exc:  # pyHanko and the token raise many kinds
            raise SigningError(f"{self.source}: khóa không ký được ({exc})") from exc
        if not _verifies(cert, signature, probe):
            raise SigningError(
                f"{self.source}: khóa bí mật không khớp với chứng thư số của {subject}"
            )


def common_name(cert: x509.Certificate) -> str:
    """Return the certificate subject's common name (or its whole name)."""
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def organization(cert: x509.Certificate) -> str:
    """Return the certificate subject's organisation, or ``""``."""
    return str(cert.subject.native.get("organization_name") or "")


def _verifies(cert: x509.Certificate, signature: bytes, data: bytes) -> bool:
    from cryptography import x509 as cx509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    public = cx509.load_der_x509_certificate(cert.dump()).public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            return True  # other key types: pyHanko's own checks apply
    except InvalidSignature:
        return False
    return True


def load_pkcs12(path: str | Path, passphrase: str | None) -> Key:
    """Load the key and certificates of the PKCS#12 file (.p12/.pfx) at `path`."""
    from asn1crypto import keys
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
        pkcs12,
    )
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = Path(path)
    data = read_input(path, "tệp khóa PKCS#12")
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError:
        raise SigningError(
            f"{path}: sai mật khẩu, hoặc tệp không phải khóa PKCS#12 (.p12/.pfx)"
        ) from None
    if key is None or cert is None:
        raise SigningError(f"{path}: tệp PKCS#12 thiếu khóa bí mật hoặc chứng thư số")
    if key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) != (
        cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    ):
        raise SigningError(f"{path}: khóa bí mật không khớp với chứng thư số trong tệp")
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    signing_cert = ax509.Certificate.load(cert.public_bytes(Encoding.DER))
    chain = [ax509.Certificate.load(c.public_bytes(Encoding.DER)) for c in extra]
    signer = SimpleSigner(
        signing_cert=signing_cert,
        signing_key=keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([signing_cert, *chain]),
    )
    return Key(signer, str(path), probe=False)


def load_pkcs11(module: str | Path, token: str, key_label: str, pin: str | None) -> Key:
    """Open the token labelled `token` through the PKCS#11 `module`; use key `key_label`.

    The certificate is the token's certificate with the same label.
    """
    from pkcs11 import exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    source = f"token {token}"
    if not Path(module).is_file():
        raise SigningError(f"{module}: không tìm thấy thư viện PKCS#11 của token")
    try:
        session = open_pkcs11_session(
            str(module), token_criteria=TokenCriteria(label=token), user_pin=pin
        )
    except p11.PinIncorrect:
        raise SigningError(f"{source}: sai mã PIN") from None
    except p11.PinLocked:
        raise SigningError(f"{source}: token đã bị khóa PIN") from None
    except Exception as exc:  # python-pkcs11 and pyHanko raise many kinds
        raise SigningError(f"{source}: không mở được token ({_describe(exc)})") from exc
    try:
        signer = PKCS11Signer(session, key_label=key_label, cert_label=key_label)
        # Fetch the certificate now, so that a missing one is reported here.
        _ = signer.signing_cert
    except Exception as exc:
        session.close()
        raise SigningError(
            f"{source}: không tìm thấy khóa hoặc chứng thư '{key_label}' ({_describe(exc)})"
        ) from exc
    return Key(signer, source, [session.close])


@dataclass(frozen=True)
class KeySource:
    """Where the key is: a PKCS#12 file, or a key on a PKCS#11 token. `secret` is the
    file's passphrase or the token's PIN (``repr`` never shows it)."""

    pkcs12: Path | None = None
    module: Path | None = None
    token: str | None = None
    key_label: str | None = None
    secret: str | None = field(default=None, repr=False)

    def open(self) -> Key:
        """Load the key (close it after use: ``with source.open() as key``)."""
        if self.pkcs12 is not None:
            return load_pkcs12(self.pkcs12, self.secret)
        if self.module is not None and self.token and self.key_label:
            return load_pkcs11(self.module, self.token, self.key_label, self.secret)
        raise SigningError("chưa chọn khóa ký: cho tệp .p12/.pfx (--p12) hoặc token PKCS#11 "
                           "(--pkcs11 THƯ_VIỆN --token NHÃN --khoa NHÃN)")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def secret_from_env(name: str, environ: Any = None) -> str | None:
    """Return the secret in environment variable `name`, or None."""
    value = (environ if environ is not None else os.environ).get(name)
    return value if value else None
