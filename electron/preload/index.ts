/**
 * The preload (bundled to CJS by esbuild, so the window keeps `sandbox: true`): exposes `window.kiosk` and
 * `window.deskShell` through contextBridge, and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createDeskShellBridge, createKioskBridge } from './bridge';

contextBridge.exposeInMainWorld('kiosk', createKioskBridge(ipcRenderer));
contextBridge.exposeInMainWorld('deskShell', createDeskShellBridge(ipcRenderer));
