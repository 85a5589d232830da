// Types for avsc's type system, imported directly so that bundles leave out avsc's file, stream
// and RPC modules. CommonJS: Node exposes it as the default export.
declare module 'avsc/lib/types.js' {
  import type { Type as AvscType, types } from 'avsc';

  const avscTypes: {
    Type: typeof AvscType;
    builtins: {
      LogicalType: typeof types.LogicalType;
      LongType: typeof types.LongType;
    };
  };
  export default avscTypes;
}

// avsc's reader of encoded data (what `Type#fromBuffer` reads through), to read strings strictly.
declare module 'avsc/lib/utils.js' {
  class Tap {
    constructor(buf: Buffer, pos?: number);
    buf: Buffer;
    pos: number;
    readLong(): number;
    readString(): string | undefined;
    isValid(): boolean;
    _invalidate(): void;
  }
  const avscUtils: { Tap: typeof Tap };
  export default avscUtils;
}
