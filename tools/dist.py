"""The instructors' bundle (``make dist``): dist/seq2seq-attention-keras-<version>.zip and its SHA-256 checksum file.

    python tools/dist.py [--site build/site] [--out dist]

<version> is ``course_utils.__version__`` (README, "Versions and bundles"). The bundle holds, under one folder of
that name: the lessons of both editions (notebooks/, notebooks/ko/, as stored: executed and validated), the package
course_utils/, data/ and models/ (each with its README: provenance, licences, checksums), the built website (site/,
from ``make site``: open site/index.html), README.md, README.ko.md, GLOSSARY.md, CHANGELOG.md, pyproject.toml (the
package's licence) and requirements.txt. Files are taken as git tracks them (tracked files, from the working tree),
so nothing local (caches, checkpoints) slips in. Entries are sorted and dated 1980-01-01, so the same files make the
same bundle and the same checksum.

The checksum file, <bundle>.sha256, is in ``sha256sum`` format: check a download with ``sha256sum -c``.
"""

import argparse
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_utils import __version__  # noqa: E402
from course_utils.repository import CLONE_FOLDER  # noqa: E402

TRACKED = ["notebooks", "course_utils", "data", "models"]
FILES = ["README.md", "README.ko.md", "GLOSSARY.md", "CHANGELOG.md", "pyproject.toml", "requirements.txt"]
DATE = (1980, 1, 1, 0, 0, 0)


def bundle_name() -> str:
    return f"{CLONE_FOLDER}-{__version__}"


def members(site: Path) -> list[tuple[str, Path]]:
    """(name in the bundle, file) for every file the bundle holds, sorted."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *TRACKED, *FILES], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    files = [(name, ROOT / name) for name in listed if name and (ROOT / name).is_file()]
    missing = [name for name in FILES if not any(member == name for member, _ in files)]
    if missing:
        raise SystemExit(f"make dist: not tracked by git: {missing}")
    files += [
        (f"site/{path.relative_to(site).as_posix()}", path)
        for path in site.rglob("*")
        if path.is_file() and path.name != ".built"
    ]
    return sorted(files)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    if not (args.site / "en" / "index.html").is_file():
        print(f"make dist: no built site in {args.site} (make site builds it)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    name = bundle_name()
    bundle = args.out / f"{name}.zip"
    partial = bundle.with_suffix(".zip.partial")
    entries = members(args.site.resolve())
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for member, path in entries:
            info = zipfile.ZipInfo(f"{name}/{member}", date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    partial.replace(bundle)
    checksum = bundle.with_suffix(".zip.sha256")
    checksum.write_text(f"{sha256(bundle)}  {bundle.name}\n", encoding="utf-8")
    size = bundle.stat().st_size / 1e6
    print(
        f"make dist: {bundle.relative_to(ROOT) if bundle.is_relative_to(ROOT) else bundle} ({len(entries)} files, "
        f"{size:.0f} MB), checksum in {checksum.name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
