"""Throwaway certificates and images for trying signing out (never for real documents).

:func:`make_test_ca` writes a test CA, a signer's and a body's certificate, each key in a
PKCS#12 file under a known demo passphrase, every name marked test-only; and a demo
signature and a demo seal image (a red ring reading "MẪU THỬ", plainly not a real seal).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from vanban.output import write_all

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from PIL.Image import Image

#: Marks every test name: such a certificate proves nothing.
TEST_MARK = "THỬ NGHIỆM – KHÔNG CÓ GIÁ TRỊ"
#: Passphrase of the demo PKCS#12 files, unless one is given.
DEMO_PASSPHRASE = "vanban-thu-nghiem"


@dataclass(frozen=True)
class DemoCa:
    """The files :func:`make_test_ca` wrote."""

    ca_pem: Path
    signer_p12: Path
    body_p12: Path
    signature_png: Path
    seal_png: Path

    @property
    def files(self) -> list[Path]:
        """Return every file written."""
        return [self.ca_pem, self.signer_p12, self.body_p12, self.signature_png, self.seal_png]


def make_test_ca(
    folder: str | os.PathLike[str],
    *,
    passphrase: str = DEMO_PASSPHRASE,
    signer_name: str = "Nguyễn Văn Thử",
    body_name: str = "Ủy ban nhân dân xã Thử Nghiệm",
    start: datetime | None = None,
    days: int = 3650,
    force: bool = False,
) -> DemoCa:
    """Write a test CA with a signer's and a body's key into `folder`."""
    from cryptography.hazmat.primitives import serialization

    start = start or datetime.now(timezone.utc) - timedelta(days=1)
    ca_key, ca_cert = issue(f"CA {TEST_MARK}", None, start, days, ca=True)
    signer_key, signer_cert = issue(signer_name, (ca_key, ca_cert), start, days,
                                    organization=body_name)
    body_key, body_cert = issue(body_name, (ca_key, ca_cert), start, days,
                                organization=body_name)
    out = Path(folder)
    ca = DemoCa(out / "ca-thu-nghiem.pem", out / "nguoi-ky.p12", out / "co-quan.p12",
                out / "chu-ky-mau.png", out / "dau-mau.png")
    pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    write_all(
        [
            (ca.ca_pem, pem),
            (ca.signer_p12, pkcs12_bytes(signer_key, signer_cert, [ca_cert], passphrase)),
            (ca.body_p12, pkcs12_bytes(body_key, body_cert, [ca_cert], passphrase)),
            (ca.signature_png, demo_signature_png()),
            (ca.seal_png, demo_seal_png()),
        ],
        force=force,
    )
    return ca


def issue(
    name: str,
    issuer: tuple[RSAPrivateKey, x509.Certificate] | None,
    start: datetime,
    days: int,
    *,
    ca: bool = False,
    organization: str | None = None,
    key: RSAPrivateKey | None = None,
) -> tuple[RSAPrivateKey, x509.Certificate]:
    """Return ``(key, certificate)``: an RSA key and a certificate for `name`.

    The name is marked test-only: "(THỬ NGHIỆM)" after it, and :data:`TEST_MARK` as the
    organisational unit.
    Self-signed when `issuer` (its key and certificate) is None. `key` reuses a key.
    """
    from cryptography import x509  # noqa: F811
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    private = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TEST_MARK))
    marked = name if "THỬ NGHIỆM" in name else f"{name} (THỬ NGHIỆM)"
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, marked[:64]))
    subject = x509.Name(attributes)
    issuer_key = issuer[0] if issuer else private
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[1].subject if issuer else subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=True, crl_sign=True, encipher_only=False,
                          decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=False, crl_sign=False, encipher_only=False,
                          decipher_only=False), critical=True)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    cert = builder.sign(issuer_key, hashes.SHA256())
    return private, cert


def pkcs12_bytes(key: RSAPrivateKey, cert: x509.Certificate, chain: list[x509.Certificate],
                 passphrase: str) -> bytes:
    """Return `key`, `cert` and `chain` as a PKCS#12 file under `passphrase`."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from vanban.issuing.keys import secret_bytes

    return pkcs12.serialize_key_and_certificates(
        b"vanban", key, cert, chain,
        BestAvailableEncryption(secret_bytes(passphrase, "mật khẩu tệp khóa")),
    )


def demo_signature_png() -> bytes:
    """Return a blue scribble on a transparent background: a demo handwritten signature."""
    from PIL import Image, ImageDraw

    width, height = 600, 260
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points: list[tuple[float, float]] = []
    for i in range(0, 241):
        t = i / 240
        x = 40 + t * 500
        y = 140 - 70 * math.sin(t * math.pi * 5) * (1 - t * 0.6) - 20 * math.sin(t * 17)
        points.append((x, y))
    draw.line(points, fill=(20, 40, 170, 255), width=9, joint="curve")
    draw.line([(60, 210), (520, 190)], fill=(20, 40, 170, 255), width=7)
    return _png(image)


def demo_seal_png() -> bytes:
    """Return a red ring reading "MẪU THỬ" on a transparent background: a demo seal."""
    from PIL import Image, ImageDraw, ImageFont

    from vanban.render.fonts import font_set

    size = 600
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 20, 30, 230)
    draw.ellipse((10, 10, size - 10, size - 10), outline=red, width=22)
    draw.ellipse((90, 90, size - 90, size - 90), outline=red, width=8)
    draw.ellipse((140, 140, size - 140, size - 140), outline=red, width=8)
    bold = font_set().sources["bold"]
    font = ImageFont.truetype(str(bold), 72)
    for text, y in (("MẪU", 195), ("THỬ", 315)):
        left, _top, right, _bottom = draw.textbbox((0, 0), text, font=font)
        draw.text(((size - (right - left)) / 2, y), text, font=font, fill=red)
    small = ImageFont.truetype(str(bold), 40)
    ring = "KHÔNG CÓ GIÁ TRỊ • KHÔNG CÓ GIÁ TRỊ • "
    radius = size / 2 - 51
    for i, char in enumerate(ring):
        angle = 2 * math.pi * i / len(ring) - math.pi / 2
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), char, font=small, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        gx = size / 2 + radius * math.cos(angle) - 30
        gy = size / 2 + radius * math.sin(angle) - 30
        image.alpha_composite(glyph, (int(gx), int(gy)))
    return _png(image)


def _png(image: Image) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
