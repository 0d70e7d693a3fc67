"""Korean edition: one gettext PO file per lesson, keyed to the English Markdown cells it translates.

    python tools/translations.py update [notebooks/NN_x.ipynb ...]   # create or refresh translations/ko/NN_x.po

Each Markdown cell of an English lesson is one PO entry: ``msgctxt`` is the cell's id, ``msgid`` its English source,
``msgstr`` the Korean. ``update`` adds entries for new cells (empty ``msgstr``), drops entries whose cell is gone,
and when an English cell has changed since its translation was written marks the entry fuzzy, keeping the old
English as ``#| msgid`` so the translator sees what changed. Translators fill ``msgstr`` and remove the fuzzy flag.
"""

import sys
from pathlib import Path

import nbformat
from babel.messages import pofile
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations" / "ko"


def read_catalog(path: Path) -> Catalog:
    if not path.exists():
        return Catalog(locale="ko", project="seq2seq-attention-keras", fuzzy=False)
    with path.open("rb") as handle:
        return pofile.read_po(handle, locale="ko")


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pofile.write_po(handle, catalog, width=0, omit_header=False, include_previous=True, sort_output=False)


def update(notebook_path: Path) -> Catalog:
    """Bring the lesson's PO file in line with its English Markdown cells; return the catalog written."""
    notebook = nbformat.read(notebook_path, as_version=4)
    po_path = TRANSLATIONS / f"{notebook_path.stem}.po"
    old = {message.context: message for message in read_catalog(po_path) if message.id}
    catalog = Catalog(locale="ko", project="seq2seq-attention-keras", fuzzy=False)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        previous = old.get(cell.id)
        if previous is None:
            catalog.add(cell.source, string="", context=cell.id)
        elif previous.id == cell.source:
            catalog.add(cell.source, string=previous.string, context=cell.id, flags=previous.flags)
        else:
            catalog.add(cell.source, string=previous.string, context=cell.id, flags={"fuzzy"}, previous_id=previous.id)
    write_catalog(catalog, po_path)
    return catalog


def main(arguments: list[str]) -> None:
    if arguments[:1] != ["update"]:
        raise SystemExit(__doc__)
    paths = [Path(p) for p in arguments[1:]] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        catalog = update(path)
        untranslated = sum(1 for m in catalog if m.id and not m.string)
        fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
        print(f"{path.name}: {len(catalog)} cells, {untranslated} untranslated, {fuzzy} changed since translated")


if __name__ == "__main__":
    main(sys.argv[1:])
