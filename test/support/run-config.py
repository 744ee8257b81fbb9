"""Runs a chart's traitlets config file (binderhub_config.py, jupyterhub_config.py) unchanged, as its pod would.

Reads from stdin a JSON list of pods, each {"configFile", "env", "files", "mounts"}: the config file's path in
the container, the container's environment, the mounted files by absolute path, and the mount points. Writes to
stdout a JSON list with, per pod, {"config", "log"} or {"error", "log"}.

Each pod's files are written under a temporary root, and while its config runs, `open` and `os.path.exists` /
`isfile` / `isdir` see a path under a mount point at that root: the chart's code runs byte for byte as rendered,
with its hard-coded /etc/binderhub/config/... and /usr/local/etc/jupyterhub/... paths. The file is loaded with
traitlets' PyFileConfigLoader, which is what `--config <file>` does in both applications.
"""
import builtins
import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import traceback
import types

from traitlets.config import LazyConfigValue
from traitlets.config.loader import PyFileConfigLoader


def _url_path_join(*pieces):
    """What jupyterhub.utils.url_path_join does: join with single slashes, keeping a leading and a trailing one."""
    result = "/".join(s.strip("/") for s in pieces if s.strip("/"))
    result = ("/" if pieces[0].startswith("/") else "") + result + ("/" if pieces[-1].endswith("/") else "")
    return "/" if result == "//" else result


class _Model:
    """Any kubernetes_asyncio.client model: keeps its arguments."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __repr__(self):
        return f"{type(self).__name__}({self.kwargs})"


def _model_class(name):
    """kubernetes_asyncio.client's model classes (V1Container, ...), as module attributes."""
    if not name.startswith("V1"):
        raise AttributeError(name)
    return type(name, (_Model,), {})


def _stub_missing_modules():
    """The hub image's libraries that the hub's config imports, where they are not installed. The config calls
    them only for settings these tests do not read: the proxy's HTTP client, the cloud-metadata init container,
    the culler URL, and the spawner class that the binderhub chart's hub.extraConfig defines."""
    stubs = {
        "jupyterhub": {"utils": {"url_path_join": _url_path_join}},
        "kubernetes_asyncio": {"client": {"__getattr__": _model_class}},
        "kubespawner": {"": {"KubeSpawner": type("KubeSpawner", (), {})}},
        "tornado": {
            "httpclient": {"AsyncHTTPClient": type("AsyncHTTPClient", (), {"configure": staticmethod(lambda *a, **k: None)})},
            "web": {},
        },
    }
    for package, submodules in stubs.items():
        if importlib.util.find_spec(package) is not None:
            continue
        sys.modules[package] = types.ModuleType(package)
        for name, attributes in submodules.items():
            module = sys.modules[package] if name == "" else types.ModuleType(f"{package}.{name}")
            module.__dict__.update(attributes)
            sys.modules[module.__name__] = module
            if name:
                setattr(sys.modules[package], name, module)


def _only_read(value):
    """A LazyConfigValue that nothing modified only records that the config read an unset setting: it sets nothing."""
    return isinstance(value, LazyConfigValue) and not value.to_dict()


def _plain(value):
    """The config as JSON values; a modified LazyConfigValue (an append to an unset list) as {"$lazy": ...}."""
    if isinstance(value, LazyConfigValue):
        return {"$lazy": _plain(value.to_dict())}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not _only_read(v)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


@contextlib.contextmanager
def _container(pod, root):
    """Inside: the pod's environment, and its mounts at `root`; everything is put back afterwards."""
    mounts = [m.rstrip("/") for m in pod["mounts"]]

    def in_container(path):
        if isinstance(path, (str, os.PathLike)):
            path = os.fspath(path)
            if isinstance(path, str) and any(path == m or path.startswith(m + "/") for m in mounts):
                return root + path
        return path

    saved_env, saved_path = dict(os.environ), list(sys.path)
    originals = {"open": builtins.open, "exists": os.path.exists, "isfile": os.path.isfile, "isdir": os.path.isdir}
    builtins.open = lambda file, *a, **k: originals["open"](in_container(file), *a, **k)
    for name in ("exists", "isfile", "isdir"):
        setattr(os.path, name, (lambda f: lambda path: f(in_container(path)))(originals[name]))
    os.environ.clear()
    os.environ.update(pod["env"])
    try:
        yield in_container
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        builtins.open = originals["open"]
        for name in ("exists", "isfile", "isdir"):
            setattr(os.path, name, originals[name])
        sys.path[:] = saved_path
        # Modules the config imported from its mounts (z2jh) cache what they read: the next pod gets fresh ones.
        for name, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", None)).startswith(root + "/"):
                del sys.modules[name]


def run(pod):
    with tempfile.TemporaryDirectory() as root:
        for path, content in pod["files"].items():
            os.makedirs(os.path.dirname(root + path), exist_ok=True)
            with open(root + path, "w") as f:
                f.write(content)
        log = io.StringIO()
        try:
            with _container(pod, root) as in_container, contextlib.redirect_stdout(log):
                host_file = in_container(pod["configFile"])
                loader = PyFileConfigLoader(os.path.basename(host_file), os.path.dirname(host_file))
                config = loader.load_config()
            return {"config": _plain(config), "log": log.getvalue()}
        except Exception:
            return {"error": traceback.format_exc(limit=-3), "log": log.getvalue()}


if __name__ == "__main__":
    _stub_missing_modules()
    print(json.dumps([run(pod) for pod in json.load(sys.stdin)]))
