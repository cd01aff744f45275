"""The rule engine is pure Python: importing it loads neither the web stack nor the database layer."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_importing_the_tally_loads_no_flask_sqlalchemy_or_numpy() -> None:
    code = (
        "import sys, app.tally; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'werkzeug', 'sqlalchemy', 'numpy'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
