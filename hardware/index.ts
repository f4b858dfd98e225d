/**
 * hardware/: the desk's ID card reader and barcode scanner, from bytes to domain events.
 * Nothing here imports native modules at load time: `usb`, `serialport` and `node-hid` are imported lazily by
 * the transports that need them.
 */
export { systemClock, ManualClock, settle, type Clock } from './clock';
export { RecordingSink, StatusReporter, type HardwareEvents, type HardwareEventName, type HardwareSink, type RecordedEvent } from './events';
export { IdCardError, isIdCardError, describeSw3, ID_CARD_ERROR_CODES, type IdCardErrorCode } from './idcard/errors';
export * from './idcard/frame';
export { decodeText, encodeText, cardTypeOf, PERMANENT, type CardText } from './idcard/text';
export { cardToParent, hasPhoto, type ChipMeta } from './idcard/parent';
export { IdReaderDriver, MIN_POLL_MS, readFailureReason, type DecodedCard, type IdReaderDriverOptions } from './idcard/driver';
export { openFailureReason } from './driver';
export { ScannerDriver, type ScannerDriverOptions, type ScannerReportMode } from './scanner/driver';
export { ScannerError, type ScannerErrorCode } from './scanner/errors';
export { HidPosAssembler, parseHoneywellReport, encodeHoneywellReports, HID_POS_USAGE_PAGE, HID_POS_SCANNER_USAGE } from './scanner/hidpos';
export { KeyboardReportDecoder, keyboardReportsFor, usageToChar } from './scanner/keyboard';
export { createClassifier, type BarcodeClassifier } from './scanner/classify';
export type { ByteTransport, TransportOpener } from './transport/types';
export { createMemoryLink } from './transport/memory';
export { openSerial } from './transport/serial';
export { openUsbBulk, type UsbBulkDevice } from './transport/usb';
export { wrapHid, paddedReports, lengthPrefixedReports, passThroughReports, type HidHandle, type HidReportAdapter } from './transport/hid';
export { DeviceManager, defaultBackends, matchModel, deviceId, deviceAddress, scannerMode, type DeviceBackend, type DeviceEntry, type FoundDevice, type ListedDevice } from './devices/manager';
export { IdReaderSimulator, type ReaderFault, type SimulatedCard } from './sim/idreader';
export { ScannerSimulator } from './sim/scanner';
export { createSimulatedDesk, type SimulatedDesk, type SimulatedDeskOptions } from './sim/desk';
export { createDeviceManager, type CreateDeviceManagerOptions, type DeskDevices } from './devices/create';
export { createSimulatedBackend, trainingHelpers, toSimulatedCard, SIMULATED_MODELS, SIM_READER, SIM_SCANNER, type CardInput, type SimulatedBackend, type TrainingHelpers } from './devices/simulated';
export { FIXTURES, fixtureCard, parentToCard, type FixtureName } from './sim/fixtures';
