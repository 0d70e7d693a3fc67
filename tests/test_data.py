"""data/ holds what data/README.md says, with the checksums it states, and stays small."""

import hashlib
import re

from course_utils.names import load_names
from course_utils.paths import course_root

DATA = course_root() / "data"
CHECKSUM_ROW = re.compile(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def stated_checksums():
    return dict(CHECKSUM_ROW.findall((DATA / "README.md").read_text(encoding="utf-8")))


def test_every_data_file_has_a_stated_checksum_and_matches_it():
    stated = stated_checksums()
    files = sorted(p.name for p in DATA.iterdir() if p.is_file() and p.name != "README.md")
    assert sorted(stated) == files
    for name, digest in stated.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, f"{name} changed"


def test_checksum_table_rejects_a_wrong_digest():
    """The comparison above is real: a digest off by one character would not match."""
    name, digest = next(iter(stated_checksums().items()))
    wrong = ("0" if digest[0] != "0" else "1") + digest[1:]
    assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() != wrong


def test_data_folder_is_under_10_megabytes():
    assert sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file()) < 10 * 2**20


def test_sentence_pair_credit_line_is_stated():
    assert "www.manythings.org/anki and tatoeba.org" in (DATA / "README.md").read_text(encoding="utf-8")


def test_names_load_lower_case_unique_sorted():
    names = load_names()
    assert len(names) == 5_163 and names == sorted(set(names))
    assert {"james", "mary", "emma"} <= set(names)
    assert all(name.isalpha() and name.islower() for name in names)
