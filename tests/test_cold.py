"""The cold path of one build: what it defers until used still works when it is used."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_weasyprints_deferred_fonttools_modules_work_when_reached() -> None:
    script = """
import sys
from pipeline.render.pdf import import_weasyprint
import_weasyprint()
assert "fontTools.subset" not in sys.modules and "fontTools.varLib.instancer" not in sys.modules
from weasyprint.pdf import fonts
options = fonts.subset.Options()  # the first use imports the real module, through the stand-in
import fontTools.subset, fontTools.varLib.instancer
assert isinstance(options, fontTools.subset.Options) and sys.modules["fontTools.subset"] is fontTools.subset
assert fonts.instantiateVariableFont.__name__ == "instantiateVariableFont"
assert type(sys.modules["fontTools.varLib.instancer"]).__name__ == "module"
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.stdout.strip() == "ok", result.stderr
