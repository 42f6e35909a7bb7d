"""The signing commands as a clerk runs them: secrets prompted or from the environment."""

from __future__ import annotations

from click.testing import CliRunner

from vanban.cli import cli
from vanban.issuing.testca import DEMO_PASSPHRASE
from vanban.issuing.verify import verify_files

TIME = ["--thoi-diem", "2026-01-07T09:15:30+07:00"]


def test_passphrase_is_prompted_without_echo(pdfs, ca, tmp_path, monkeypatch) -> None:
    # CliRunner's input is a pipe: the clerk's terminal is played by telling vanban it is one.
    monkeypatch.setattr("vanban.issuing.keys._stdin_is_terminal", lambda: True)
    out = tmp_path / "qd.pdf"
    # No passphrase in the environment (None removes the variable for the run).
    result = CliRunner(env={"VANBAN_MAT_KHAU": None}).invoke(cli, [
        "sign", str(pdfs["quyet-dinh"]), "-o", str(out), "--p12", str(ca.signer_p12),
        "--anh-chu-ky", str(ca.signature_png), *TIME,
    ], input=DEMO_PASSPHRASE + "\n")
    assert result.exit_code == 0, result.output
    assert "Mật khẩu tệp khóa" in result.output
    assert DEMO_PASSPHRASE not in result.output
    assert "Đã ký NguoiKy1 (PAdES B-B)" in result.output
    (report,) = verify_files([out], [ca.ca_pem])
    assert report.ok


def test_wrong_passphrase_from_the_environment(pdfs, ca, tmp_path) -> None:
    out = tmp_path / "qd.pdf"
    result = CliRunner(env={"VANBAN_MAT_KHAU": "sai-roi"}).invoke(cli, [
        "ky-so", str(pdfs["quyet-dinh"]), "-o", str(out), "--p12", str(ca.signer_p12),
        "--anh-chu-ky", str(ca.signature_png), *TIME,
    ])
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi: ")
    assert "sai mật khẩu" in result.output
    assert "sai-roi" not in result.output
    assert not out.exists()


def test_passphrase_is_not_an_option(pdfs, ca, tmp_path) -> None:
    result = CliRunner().invoke(cli, [
        "sign", str(pdfs["quyet-dinh"]), "-o", str(tmp_path / "o.pdf"), "--p12",
        str(ca.signer_p12), "--mat-khau", DEMO_PASSPHRASE,
    ])
    assert result.exit_code == 2


def test_no_key_chosen(pdfs, ca, tmp_path) -> None:
    result = CliRunner().invoke(cli, [
        "sign", str(pdfs["quyet-dinh"]), "-o", str(tmp_path / "o.pdf"),
        "--anh-chu-ky", str(ca.signature_png),
    ])
    assert result.exit_code == 1
    assert "chưa chọn khóa ký" in result.output


def test_test_certificates_command(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["tao-chung-thu-thu", str(tmp_path / "ca")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "ca").iterdir())
    assert names == ["ca-thu-nghiem.pem", "chu-ky-mau.png", "co-quan.p12", "dau-mau.png",
                     "nguoi-ky.p12"]
    pem = (tmp_path / "ca" / "ca-thu-nghiem.pem").read_bytes()
    from cryptography import x509

    subject = x509.load_pem_x509_certificate(pem).subject.rfc4514_string()
    assert "THỬ NGHIỆM – KHÔNG CÓ GIÁ TRỊ" in subject
    again = CliRunner().invoke(cli, ["tao-chung-thu-thu", str(tmp_path / "ca")])
    assert again.exit_code == 1
    assert "--force" in again.output


def test_import_of_the_cli_does_not_load_pyhanko() -> None:
    import subprocess
    import sys

    code = "import sys, vanban.cli; print(any(m.startswith('pyhanko') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_no_passphrase_and_no_terminal_says_which_variable_to_set(pdfs, ca, tmp_path) -> None:
    result = CliRunner(env={"VANBAN_MAT_KHAU": None}).invoke(cli, [
        "sign", str(pdfs["quyet-dinh"]), "-o", str(tmp_path / "qd.pdf"), "--p12",
        str(ca.signer_p12), *TIME])
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "VANBAN_MAT_KHAU" in result.output
    assert "Warning" not in result.output
    assert not (tmp_path / "qd.pdf").exists()


def test_a_key_file_and_a_token_together_are_refused_before_any_secret_is_asked(
        pdfs, ca, tmp_path) -> None:
    result = CliRunner(env={"VANBAN_MAT_KHAU": None}).invoke(cli, [
        "sign", str(pdfs["quyet-dinh"]), "-o", str(tmp_path / "qd.pdf"), "--p12",
        str(ca.signer_p12), "--pkcs11", str(ca.signer_p12), "--token", "T", "--khoa", "K"])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        "Lỗi: chọn một khóa ký: tệp .p12/.pfx (--p12) hoặc token PKCS#11 (--pkcs11, --token, "
        "--khoa), không dùng cả hai")


def test_a_period_ending_before_it_starts_is_a_usage_error(tmp_path) -> None:
    """`--tu` after `--den` used to print an empty register, exit 0."""
    done = CliRunner().invoke(cli, ["register", "-o", str(tmp_path / "so.csv"), "--so-dang-ky",
                                    str(tmp_path / "so.sqlite"), "--tu", "1/1/2026",
                                    "--den", "31/12/2025"])
    assert done.exit_code == 2
    assert "--tu 01/01/2026 sau --den 31/12/2025; hãy đổi chỗ hai ngày" in done.output
    assert not (tmp_path / "so.csv").exists()
