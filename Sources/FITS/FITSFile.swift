// FITSFile: one open cfitsio file, positioned on one HDU at a time.
//
//   let f = try FITSFile.open("/data/x.fits")            // read-only; cfitsio extended names allowed
//   let f = try FITSFile.open(path, mode: .readWrite)
//   let f = try FITSFile.create("/tmp/out.fits", overwrite: true)   // plain path, never parsed
//   try f.moveTo(hdu: 2)                                  // 1 = primary, as cfitsio counts
//   try f.moveTo(extname: "PS1_PS_REQUEST")               // by EXTNAME (and EXTVER if given)
//   f.currentHDU, try f.hduCount(), try f.hduType()
//   try f.close()                                         // flushes; errors are reported
//
// Closing is deterministic: `close()` closes now and reports errors; a file still open when its last
// reference goes away is closed by `deinit` (errors then ignored). `FITSFile.withOpen(path) { f in … }`
// closes at the end of the block. A FITSFile is not Sendable: use it inside one task; cfitsio itself is
// built reentrant, so different files may be used by different tasks at once.
import CFITSIO

public final class FITSFile {
    public enum Mode: Sendable { case readOnly, readWrite }
    public enum HDUType: Int32, Sendable { case image = 0, asciiTable = 1, binaryTable = 2 }

    /// The path (or extended file name) the file was opened with.
    public let path: String
    var handle: UnsafeMutablePointer<fitsfile>?

    init(path: String, handle: UnsafeMutablePointer<fitsfile>) {
        self.path = path
        self.handle = handle
    }

    deinit {
        if let handle {
            var status: Int32 = 0
            ffclos(handle, &status)
            if status != 0 { ffcmsg() }
        }
    }

    /// Opens an existing file. With `extendedSyntax` (the default) cfitsio's extended file names are
    /// honoured (`file.fits[1]`, `file.fits[PS1_PS_REQUEST]`, `file.fits.gz`, …); without it the path is
    /// taken literally.
    public static func open(_ path: String, mode: Mode = .readOnly, extendedSyntax: Bool = true) throws -> FITSFile {
        var fptr: UnsafeMutablePointer<fitsfile>?
        var status: Int32 = 0
        let iomode: Int32 = mode == .readOnly ? READONLY : READWRITE
        if extendedSyntax {
            ffopentest(CFITSIO_SONAME, &fptr, path, iomode, &status)
        } else {
            ffdkopn(&fptr, path, iomode, &status)
        }
        if status != 0 || fptr == nil {
            if let fptr { var s: Int32 = 0; ffclos(fptr, &s) }
            throw FITSError.fromCFITSIO(status == 0 ? 104 : status, operation: "open \(path)")
        }
        return FITSFile(path: path, handle: fptr!)
    }

    /// Creates a new, empty file at a plain path (no extended-name parsing). With `overwrite` an
    /// existing file is replaced; otherwise its existence is an error (cfitsio status 105).
    public static func create(_ path: String, overwrite: Bool = false) throws -> FITSFile {
        if overwrite { _ = unlink(path) }
        var fptr: UnsafeMutablePointer<fitsfile>?
        var status: Int32 = 0
        ffdkinit(&fptr, path, &status)
        if status != 0 || fptr == nil {
            throw FITSError.fromCFITSIO(status == 0 ? 105 : status, operation: "create \(path)")
        }
        return FITSFile(path: path, handle: fptr!)
    }

    /// Opens a file, runs `body`, and closes the file whatever happens.
    public static func withOpen<T>(
        _ path: String, mode: Mode = .readOnly,
        _ body: (FITSFile) throws -> T
    ) throws -> T {
        let file = try open(path, mode: mode)
        do {
            let result = try body(file)
            try file.close()
            return result
        } catch {
            file.closeQuietly()
            throw error
        }
    }

    /// Closes the file now, writing what cfitsio buffered. Further use of the object throws.
    public func close() throws {
        guard let h = handle else { return }
        handle = nil
        var status: Int32 = 0
        ffclos(h, &status)
        try checkStatus(status, "close \(path)")
    }

    /// Closes without reporting errors (for clean-up paths).
    public func closeQuietly() {
        guard let h = handle else { return }
        handle = nil
        var status: Int32 = 0
        ffclos(h, &status)
        if status != 0 { ffcmsg() }
    }

    public var isOpen: Bool { handle != nil }

    /// The cfitsio handle, or a FITSError (status 114 NOT_OPENED-like) when the file was closed.
    func fptr() throws -> UnsafeMutablePointer<fitsfile> {
        guard let handle else {
            throw FITSError(status: 115, operation: "use \(path)", message: "file already closed")
        }
        return handle
    }

    // MARK: HDUs

    /// The number of HDUs in the file (the primary counts as 1).
    public func hduCount() throws -> Int {
        var n: Int32 = 0, status: Int32 = 0
        ffthdu(try fptr(), &n, &status)
        try checkStatus(status, "count HDUs of \(path)")
        return Int(n)
    }

    /// The current HDU, 1-based (1 = primary).
    public var currentHDU: Int {
        guard let handle else { return 0 }
        var n: Int32 = 0
        ffghdn(handle, &n)
        return Int(n)
    }

    /// The type of the current HDU. A tile-compressed image reports `.binaryTable` here (its storage);
    /// use `isCompressedImage()` to tell.
    public func hduType() throws -> HDUType {
        var t: Int32 = 0, status: Int32 = 0
        ffghdt(try fptr(), &t, &status)
        try checkStatus(status, "read HDU type in \(path)")
        return HDUType(rawValue: t) ?? .image
    }

    /// Moves to an HDU by number, 1-based as cfitsio counts (1 = primary). Returns its type.
    @discardableResult
    public func moveTo(hdu number: Int) throws -> HDUType {
        guard number >= 1, number <= Int(Int32.max) else {
            throw FITSError(status: FITSError.badHDUNumber, operation: "move to HDU \(number) in \(path)")
        }
        var t: Int32 = 0, status: Int32 = 0
        ffmahd(try fptr(), Int32(number), &t, &status)
        try checkStatus(status, "move to HDU \(number) in \(path)")
        return HDUType(rawValue: t) ?? .image
    }

    /// Moves to the first HDU whose EXTNAME (or HDUNAME) is `extname`, compared case-insensitively as
    /// cfitsio does; `extver` 0 matches any EXTVER. A tile-compressed image is found by its EXTNAME.
    public func moveTo(extname: String, extver: Int = 0) throws {
        var status: Int32 = 0
        var name = Array(extname.utf8CString)
        ffmnhd(try fptr(), ANY_HDU, &name, Int32(clamping: extver), &status)
        try checkStatus(status, "move to extension \(extname) in \(path)")
    }

    /// Moves by a relative number of HDUs (e.g. +1 to the next).
    @discardableResult
    public func moveBy(_ offset: Int) throws -> HDUType {
        try moveTo(hdu: currentHDU + offset)
    }

    /// True when the current HDU is a tile-compressed image (cfitsio then reads and writes it as an image).
    public func isCompressedImage() throws -> Bool {
        var status: Int32 = 0
        let r = fits_is_compressed_image(try fptr(), &status)
        try checkStatus(status, "check compression in \(path)")
        return r != 0
    }

    /// Forces cfitsio to write out its buffers for this file.
    public func flush() throws {
        var status: Int32 = 0
        ffflus(try fptr(), &status)
        try checkStatus(status, "flush \(path)")
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
