// Byte-compiles Python archives for the in-browser edition (lite/build.py), with the Pyodide
// runtime the site ships: the .pyc files must come from the very CPython the browser runs (3.12
// in Pyodide 0.27.6), which this machine does not have otherwise. Every .py in a wheel or in the
// standard library's zip becomes a .pyc in its place, so the browser imports it without compiling
// it first (the largest part of a visit's start was Python compiling IPython, ipywidgets and the
// standard library on every visit: nothing keeps compiled code between visits).
//
// node lite/compile_pyc.mjs <pyodide runtime dir> <in dir> <out dir> <archive>...
// reads <in dir>/<archive> and writes <out dir>/<archive> for each archive (.whl or .zip).
import { createRequire } from "node:module";
import path from "node:path";

const [runtime, source, target, ...archives] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { loadPyodide } = require(path.join(path.resolve(runtime), "pyodide.js"));
const pyodide = await loadPyodide({ indexURL: path.resolve(runtime) + path.sep });
pyodide.FS.mkdirTree("/in");
pyodide.FS.mkdirTree("/out");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(source) }, "/in");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(target) }, "/out");
pyodide.globals.set("archives", pyodide.toPy(archives));
pyodide.runPython(`
import base64, hashlib, importlib._bootstrap_external as external, importlib.util, warnings, zipfile

warnings.simplefilter("ignore")  # SyntaxWarnings of the packages' own tests, which never run here

def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

def compile_archive(name):
    wheel = name.endswith(".whl")
    # Where the browser finds the files: shown in tracebacks instead of the archive's own path.
    prefix = "/lib/python3.12/site-packages/" if wheel else "/lib/python312.zip/"
    files, compiled = {}, 0
    with zipfile.ZipFile("/in/" + name) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            data = archive.read(info)
            if info.filename.endswith(".py") and ".dist-info/" not in info.filename:
                try:
                    code = compile(data, prefix + info.filename, "exec", dont_inherit=True)
                except SyntaxError:  # test data and the like that is not meant to be imported
                    pass
                else:
                    data = bytes(external._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
                    files[info.filename + "c"] = data
                    compiled += 1
                    continue
            files[info.filename] = data
    if wheel:
        (record,) = [n for n in files if n.endswith(".dist-info/RECORD") and n.count("/") == 1]
        files[record] = "".join(f"{n},{record_hash(d)},{len(d)}\\n" for n, d in files.items() if n != record).encode() + f"{record},,\\n".encode()
    with zipfile.ZipFile("/out/" + name, "w", zipfile.ZIP_DEFLATED) as out:
        for n, d in files.items():
            info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            out.writestr(info, d, zipfile.ZIP_DEFLATED)
    print(f"lite: compiled {compiled} modules in {name}")

for name in archives:
    compile_archive(name)
`);
