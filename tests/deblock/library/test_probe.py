"""Installed packages' distributions, read from the ``.dist-info`` beside them as
``importlib.metadata`` would name them."""

import os
import sysconfig

from deblock.library import probe


def _top_level_names() -> list[str]:
    site = sysconfig.get_paths()["purelib"]
    names = {entry.removesuffix(".py") for entry in os.listdir(site)}
    return sorted(n for n in names if n.isidentifier() and not n.startswith("_"))


def test_installed_packages_get_the_distributions_importlib_metadata_names(monkeypatch):
    names = _top_level_names()
    expected = {root: probe._found_by_metadata(root) for root in names}
    asked = []
    monkeypatch.setattr(probe, "_found_by_metadata", lambda r: asked.append(r) or expected[r])
    found = probe.locate(names)
    assert len(found) > 20  # this environment's dependencies
    assert len(asked) < len(found) / 4  # read beside the package, but for a few
    for root, info in found.items():
        if expected[root] is None:
            assert info["dist"] == root and info["version"].startswith("mtime-")
        else:
            assert (info["dist"], info["version"]) == expected[root], root


def test_the_dist_info_beside_a_package_names_it(tmp_path):
    package = tmp_path / "site-packages" / "lonely_pkg"
    package.mkdir(parents=True)
    info = tmp_path / "site-packages" / "Lonely_Pkg-2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: Lonely-Pkg\nVersion: 2.0\n\nbody")
    assert probe._distribution("lonely_pkg", str(package)) == ("Lonely-Pkg", "2.0")


def test_without_a_dist_info_importlib_metadata_is_asked(tmp_path):
    package = tmp_path / "site-packages" / "nowhere_installed"
    package.mkdir(parents=True)
    assert probe._distribution("nowhere_installed", str(package)) is None
