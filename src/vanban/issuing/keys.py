"""Signing keys: a PKCS#12 file or a PKCS#11 token (the Vietnamese CAs' USB tokens).

A passphrase or PIN is passed in by the caller (prompted or read from the environment by
the CLI), never logged and never part of an error message. pyHanko, python-pkcs11 and
cryptography are imported here only.
"""

from __future__ import annotations

import asyncio
import os
import sys
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
#: What each secret is, as the clerk knows it.
SECRET_NAMES = {PASSPHRASE_ENV: "mật khẩu tệp khóa", PIN_ENV: "mã PIN của token"}


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
            raise SigningError(
                f"{self.source}: khóa không ký được (token bị rút ra, hết phiên làm việc hoặc "
                "khóa không cho phép ký): cắm lại token rồi ký lại"
            ) from exc
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
    secret = secret_bytes(passphrase, "mật khẩu tệp khóa") if passphrase else None
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
    import pkcs11
    from pkcs11 import exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, find_token

    source = f"token {token}"
    if not Path(module).is_file():
        raise SigningError(f"{module}: không tìm thấy thư viện PKCS#11 của token")
    if pin is not None:
        secret_bytes(pin, "mã PIN")
    try:
        # An absolute path: a bare file name would be looked for in the system's folders.
        lib = pkcs11.lib(os.path.abspath(module))
    except Exception as exc:  # python-pkcs11 raises many kinds
        raise SigningError(
            f"{module}: không nạp được thư viện PKCS#11 (tệp không phải thư viện PKCS#11 của "
            "token, hoặc không dùng được trên máy này); cho --pkcs11 tệp .so/.dll đi kèm "
            "phần mềm của token"
        ) from exc
    try:
        slots = lib.get_slots(token_present=True)
        found = find_token(slots, token_criteria=TokenCriteria(label=token))
    except Exception as exc:
        raise SigningError(f"{module}: thư viện PKCS#11 không đọc được danh sách token; rút "
                           "token ra, cắm lại rồi ký lại") from exc
    if found is None:
        labels = _token_labels(slots)
        present = (f"trên máy có token: {', '.join(labels)}" if labels
                   else "không thấy token nào cắm vào máy")
        raise SigningError(f"không tìm thấy token nhãn '{token}' ({present}); kiểm tra token "
                           "đã cắm vào máy và nhãn cho ở --token")
    try:
        session = found.open(user_pin=pin) if pin is not None else found.open()
    except p11.PinIncorrect:
        raise SigningError(f"{source}: sai mã PIN") from None
    except p11.PinLocked:
        raise SigningError(f"{source}: token đã bị khóa PIN") from None
    except Exception as exc:  # python-pkcs11 raises many kinds
        raise SigningError(f"{source}: không mở được token (token bị rút ra hoặc đang bận); "
                           "cắm lại token rồi ký lại") from exc
    try:
        signer = PKCS11Signer(session, key_label=key_label, cert_label=key_label)
        # Fetch the certificate now, so that a missing one is reported here.
        _ = signer.signing_cert
    except Exception as exc:
        session.close()
        many = "more than one" in str(exc)  # pyHanko says so only in its message
        what = "có nhiều hơn một" if many else "không có đủ"
        raise SigningError(
            f"{source}: token {what} khóa bí mật và chứng thư số nhãn '{key_label}'; kiểm tra "
            "nhãn khóa cho ở --khoa (xem bằng phần mềm quản lý token)"
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

    def __post_init__(self) -> None:
        if self.pkcs12 is not None and (self.module or self.token or self.key_label):
            raise SigningError("chọn một khóa ký: tệp .p12/.pfx (--p12) hoặc token PKCS#11 "
                               "(--pkcs11, --token, --khoa), không dùng cả hai")

    def open(self) -> Key:
        """Load the key (close it after use: ``with source.open() as key``)."""
        if self.pkcs12 is not None:
            return load_pkcs12(self.pkcs12, self.secret)
        if self.module is not None and self.token and self.key_label:
            return load_pkcs11(self.module, self.token, self.key_label, self.secret)
        raise SigningError("chưa chọn khóa ký: cho tệp .p12/.pfx (--p12) hoặc token PKCS#11 "
                           "(--pkcs11 THƯ_VIỆN --token NHÃN --khoa NHÃN)")


def _token_labels(slots: list[Any]) -> list[str]:
    """Return the labels of the initialised tokens in `slots` (those it can read)."""
    labels = []
    for slot in slots:
        try:
            label = str(slot.get_token().label).strip()
        except Exception:  # a slot that cannot be read is left out
            continue
        if label:
            labels.append(label)
    return labels


def secret_bytes(secret: str, what: str) -> bytes:
    """Return `secret` encoded in UTF-8; `what` names it in the error ("mật khẩu tệp khóa").

    A secret read from a variable holding bytes that are not UTF-8 keeps them as lone
    surrogates, which cannot be encoded: refused here, never shown.
    """
    try:
        return secret.encode("utf-8")
    except UnicodeEncodeError:
        raise SigningError(f"{what} có byte không phải chữ UTF-8; đặt lại {what} bằng chữ "
                           "gõ được trên bàn phím") from None


def secret_from_env(
    name: str, environ: Any = None, *, required: bool = False, interactive: bool | None = None
) -> str | None:
    """Return the secret in environment variable `name`, or None (ask for it at the terminal).

    A value that is not valid UTF-8 is refused. With `required`, a secret that is not in the
    environment when there is no terminal to ask at (`interactive` False, by default stdin
    is not a terminal) is refused at once, naming the variable to set.
    """
    value = (environ if environ is not None else os.environ).get(name)
    what = SECRET_NAMES.get(name, "mật khẩu")
    if value:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise SigningError(f"biến môi trường {name} có byte không phải chữ UTF-8; đặt lại "
                               f"{what} bằng chữ gõ được trên bàn phím") from None
        return str(value)
    if required and not (interactive if interactive is not None else _stdin_is_terminal()):
        raise SigningError(f"cần {what} nhưng không có cửa sổ dòng lệnh để hỏi: đặt biến môi "
                           f"trường {name} rồi chạy lại")
    return None


def _stdin_is_terminal() -> bool:
    stdin = sys.stdin
    try:
        return stdin is not None and stdin.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False
