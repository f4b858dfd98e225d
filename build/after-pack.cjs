/**
 * electron-builder `afterPack` hook: flips the Electron fuses of the packed executable (Signal's habit), before
 * signing and before the installers are made. Development runs use the unfused binary of node_modules/electron.
 *
 *   RunAsNode off                         ELECTRON_RUN_AS_NODE cannot turn the desk into a Node interpreter
 *   NODE_OPTIONS off, --inspect off       no code injected through the environment or a debugger port
 *   OnlyLoadAppFromAsar on                the app is loaded from app.asar only, never from a loose folder
 *   EmbeddedAsarIntegrityValidation on    app.asar is checked against the hash embedded at build time
 *   CookieEncryption on                   the session's cookies are encrypted with the OS key store
 *   GrantFileProtocolExtraPrivileges off  file:// pages get no extra powers (the UI is served from app://)
 */
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

const FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: false,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The packed executable for electron-builder's context. */
function executablePath(context) {
  const platform = context.electronPlatformName;
  const info = context.packager.appInfo;
  if (platform === 'darwin' || platform === 'mas') return path.join(context.appOutDir, `${info.productFilename}.app`);
  if (platform === 'win32') return path.join(context.appOutDir, `${context.packager.executableName ?? info.productFilename}.exe`);
  return path.join(context.appOutDir, context.packager.executableName);
}

async function afterPack(context) {
  const exe = executablePath(context);
  await flipFuses(exe, { ...FUSES, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 });
  console.log(`  • fuses flipped on ${path.basename(exe)}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.executablePath = executablePath;
