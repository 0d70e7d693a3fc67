"""data/ holds what data/README.md says, with the checksums it states, and stays small."""

import hashlib
import re
import shutil

from course_utils.names import load_names
from course_utils.paths import course_root

DATA = course_root() / "data"
CHECKSUM_ROW = re.compile(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def stated_checksums():
    return dict(CHECKSUM_ROW.findall((DATA / "README.md").read_text(encoding="utf-8")))


def checksum_problems(folder) -> list[str]:
    """What disagrees between the files in ``folder`` and the checksum table of its README.md."""
    stated = dict(CHECKSUM_ROW.findall((folder / "README.md").read_text(encoding="utf-8")))
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != "README.md")
    problems = [f"{name}: no stated checksum" for name in files if name not in stated]
    problems += [f"{name}: stated but missing" for name in sorted(stated) if name not in files]
    problems += [
        f"{name}: changed (sha256 differs from the stated one)"
        for name in files
        if name in stated and hashlib.sha256((folder / name).read_bytes()).hexdigest() != stated[name]
    ]
    return problems


def test_every_data_file_has_a_stated_checksum_and_matches_it():
    assert checksum_problems(DATA) == []


def test_the_checksum_check_notices_a_changed_an_unlisted_and_a_missing_file(tmp_path):
    """The check above is real: on a copy of data/ with one byte changed, one file added and one removed."""
    names = sorted(stated_checksums())
    for name in ["README.md", *names]:
        shutil.copy(DATA / name, tmp_path / name)
    changed = bytearray((tmp_path / names[0]).read_bytes())
    changed[0] ^= 1  # one bit of the first byte
    (tmp_path / names[0]).write_bytes(bytes(changed))
    (tmp_path / "extra.txt").write_text("not in the table")
    (tmp_path / names[1]).unlink()
    assert checksum_problems(tmp_path) == [
        "extra.txt: no stated checksum",
        f"{names[1]}: stated but missing",
        f"{names[0]}: changed (sha256 differs from the stated one)",
    ]


def test_data_folder_is_under_10_megabytes():
    assert sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file()) < 10 * 2**20


def test_sentence_pair_credit_line_is_stated():
    assert "www.manythings.org/anki and tatoeba.org" in (DATA / "README.md").read_text(encoding="utf-8")


def test_names_load_lower_case_unique_sorted():
    names = load_names()
    assert len(names) == 5_163 and names == sorted(set(names))
    assert {"james", "mary", "emma"} <= set(names)
    assert all(name.isalpha() and name.islower() for name in names)
