'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.SealedBoxError = void 0;
class SealedBoxError extends Error {
  code;
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
    this.name = 'SealedBoxError';
  }
}
exports.SealedBoxError = SealedBoxError;
//# sourceMappingURL=sealed-box.errors.js.map
