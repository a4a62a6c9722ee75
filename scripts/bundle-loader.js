// The first part of every jcrkit bundle (scripts/bundle.js puts it there): the program itself
// follows as line comments, so V8 does not parse it when the file loads. This compiles it with a
// V8 code cache (the `cachedData` of node:vm, https://nodejs.org/api/vm.html#scriptcreatecacheddata),
// so every run after the first skips parsing and compiling the megabyte of bundled code, about
// half of a short command's time. The cache is per bundle, per command (argv[2]: `synth` runs other
// functions than `--version`), per file size and mtime, Node.js version and architecture; V8
// itself rejects one made with other flags, and a rejected or missing cache is written again when
// the process exits. It lives in .v8-cache/ beside the bundle, or, when that is not writable, in a
// directory of the user's own in the temp directory. JCRKIT_NO_CODE_CACHE=1 turns it off.
'use strict';
(() => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const vm = require('node:vm');
  const { wrap } = require('node:module');

  const MARK = '\n//# jcrkit program\n';
  const text = fs.readFileSync(__filename, 'utf8');
  const start = text.indexOf(MARK) + MARK.length;
  const program = text.slice(start).replace(/^\/\//gm, '');
  const lineOffset = text.slice(0, start).split('\n').length - 1;

  let cachedData;
  let save = () => undefined;
  if (!process.env.JCRKIT_NO_CODE_CACHE) {
    const stat = fs.statSync(__filename);
    const command = /^[a-z][a-z-]{0,40}$/.test(process.argv[2] ?? '') ? process.argv[2] : '_';
    const name = `${path.basename(__filename, '.js')}-${command}-${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}-${process.arch}.v8`;
    const besideBundle = path.join(__dirname, '.v8-cache');
    const ownTemp = () => {
      // shared temp directories: only a directory this user owns and nobody else can write to
      if (typeof process.getuid !== 'function') return undefined;
      const dir = path.join(os.tmpdir(), `jcrkit-v8-cache-${process.getuid()}`);
      try {
        fs.mkdirSync(dir, { mode: 0o700 });
      } catch {
        // exists (checked below) or cannot be made
      }
      try {
        const st = fs.lstatSync(dir);
        return st.isDirectory() && st.uid === process.getuid() && (st.mode & 0o077) === 0 ? dir : undefined;
      } catch {
        return undefined;
      }
    };
    for (const dir of [besideBundle, ownTemp()]) {
      if (!dir) continue;
      try {
        cachedData = fs.readFileSync(path.join(dir, name));
        break;
      } catch {
        // not there: try the next place
      }
    }
    save = (script) => {
      if (cachedData && !script.cachedDataRejected) return;
      process.once('exit', () => {
        const data = script.createCachedData();
        for (const dir of [besideBundle, ownTemp()]) {
          if (!dir) continue;
          try {
            fs.mkdirSync(dir, { recursive: true });
            const tmp = path.join(dir, `${name}.${process.pid}`);
            fs.writeFileSync(tmp, data);
            fs.renameSync(tmp, path.join(dir, name));
            return;
          } catch {
            // not writable: try the next place
          }
        }
      });
    };
  }

  const script = new vm.Script(wrap(program), { filename: __filename, lineOffset, cachedData });
  save(script);
  script.runInThisContext().call(module.exports, module.exports, require, module, __filename, __dirname);
})();
