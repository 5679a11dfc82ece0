"""The installed package (not the checkout) finds its rubrics and templates: run the console script from
outside the repository."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def _installed_coach() -> str:
    script = Path(sys.executable).parent / "coach"
    if not script.exists():
        pytest.skip("coach is not installed in this environment (run ./setup.sh)")
    return str(script)


def test_installed_wheel_ships_rubrics_and_templates(tmp_path):
    code = ("import coach.resources as r, coach; print(coach.__file__); print(r.rubric_dir()); "
            "print(r.template_dir())")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    if out.returncode != 0 or Path(out.stdout.splitlines()[0]).parent == ROOT / "coach":
        pytest.skip("coach is not installed as a wheel in this environment")
    package, rubrics, templates = (Path(line) for line in out.stdout.splitlines())
    assert "site-packages" in package.parts
    assert (rubrics / "explanation.yaml").is_file() and (rubrics / "exemplars" / "roles.yaml").is_file()
    assert (rubrics / "exemplars" / "roles.vectors.npz").is_file()
    assert (templates / "email" / "program_director.j2").is_file()
    assert (templates / "report" / "_draft.j2").is_file() and (templates / "web" / "serve.js").is_file()
    assert rubrics != ROOT / "rubrics" and "site-packages" in rubrics.parts


def test_console_script_checks_a_draft_from_anywhere(tmp_path):
    coach = _installed_coach()
    draft = tmp_path / "explanation.txt"
    shutil.copy(SAMPLES / "explanation-blames.txt", draft)
    out = subprocess.run([coach, "check", "--format", "json", "explanation.txt"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert any(f["category"] == "blame" for f in report["findings"])
