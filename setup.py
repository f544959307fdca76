"""Packaging beyond pyproject.toml: the project's folders of files (ontology/,
shapes/, queries/, registry/) ship inside the package as ``kg/_files/<folder>``,
read from there by kg/ontology.py, so ``pip install .`` gives a kg that builds; and
the data files inside the package (the reader's label vocabulary, and ``py.typed``:
kg's annotations are for its users' type checkers too).
The folders stay where they are in the checkout."""
from setuptools import find_packages, setup

FOLDERS = {"ontology": ["*.ttl"], "shapes": ["*.ttl"], "queries": ["*.rq"],
           "registry": ["*.csv"]}

setup(
    packages=find_packages(include=["kg", "kg.*"]) + [f"kg._files.{f}" for f in FOLDERS],
    package_dir={f"kg._files.{f}": f for f in FOLDERS},
    package_data={"kg": ["py.typed"],  # PEP 561: the package is typed
                  "kg.extract": ["labels.csv"],  # the label vocabulary, read at import
                  "kg.web": ["templates/*.html"],  # the pages' templates
                  **{f"kg._files.{f}": patterns for f, patterns in FOLDERS.items()}},
)
