"""Sphinx configuration of the course website, one edition per build (``tools/site.py`` runs both).

tools/site.py writes each edition's pages into build/site-src/<edition>/ and runs sphinx-build with ``-c site``;
the edition comes from the environment variable COURSE_SITE_EDITION ("en" or "ko"). The stored notebooks are shown
as they are, never executed (nb_execution_mode = "off"). Nothing is loaded from the network: MathJax and the Hangul
font are copied into _static by tools/site.py (COURSE_SITE_STATIC).
"""

import os

EDITION = os.environ.get("COURSE_SITE_EDITION", "en")
STATIC = os.environ.get("COURSE_SITE_STATIC", "")  # the folder tools/site.py filled with MathJax and the font

project = "Seq2seq & Attention with Keras" if EDITION == "en" else "Keras로 배우는 시퀀스-투-시퀀스와 어텐션"
author = "seq2seq-attention-course"
copyright = "the course's authors"
version = release = os.environ.get("COURSE_SITE_VERSION", "")
language = EDITION  # "ko": the theme's own labels (search, contents, previous/next) in Korean

extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build"]
nb_execution_mode = "off"  # the stored, nbval-checked outputs are what the site shows
nb_output_stderr = "show"
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # a lesson's title (#) is followed by its Korean/English subtitle (##)

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"] + ([STATIC] if STATIC else [])
html_css_files = ["course.css"]
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "use_download_button": False,  # each lesson's own header offers the stored notebook
    "use_fullscreen_button": False,
    "show_toc_level": 1,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
}
html_last_updated_fmt = None

# MathJax from the copy shipped with the site (tools/site.py copies the npm package's es5 build), never a CDN.
mathjax_path = "mathjax/tex-chtml-full.js"
