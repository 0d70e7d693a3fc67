"""US 1990 Census first names (data/dist.*.first), for lesson 01's character-level language model."""

from course_utils.paths import data_path

NAME_FILES = ("dist.female.first", "dist.male.first")


def load_names() -> list[str]:
    """Every first name in the census lists, lower-case, each once, sorted."""
    names = set()
    for file_name in NAME_FILES:
        for line in data_path(file_name).read_text(encoding="ascii").splitlines():
            if line.strip():
                names.add(line.split()[0].lower())  # "JAMES  3.318  3.318  1" -> "james"
    return sorted(names)
