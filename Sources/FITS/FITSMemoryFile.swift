// Small files built in memory and written to disk in one system call. The stamp engine writes
// thousands of ~40 KB stamps; cfitsio's disk driver spends a dozen calls (unlink, open, reads, writes
// in 2880-byte pieces) on each, the memory driver none, and the finished bytes are the same.
//
//   try FITSFile.writeBuiltInMemory(to: "/out/1_1_x.fits") { f in
//       try f.appendImage(pixels, width: 100, height: 100, cards: header)
//   }
import CFITSIO
import Glibc

extension FITSFile {
    /// Builds a FITS file with `body` on a cfitsio memory file, then writes it to `path` (replacing
    /// what is there) in one write. A failure leaves no partial file behind. One `buffer` can serve
    /// file after file on one thread (no fresh pages to fault in each time).
    public static func writeBuiltInMemory(
        to path: String, using buffer: FITSMemoryBuffer = FITSMemoryBuffer(),
        _ body: (FITSFile) throws -> Void
    ) throws {
        buffer.reset()
        var fptr: UnsafeMutablePointer<fitsfile>?
        var status: Int32 = 0
        ffimem(&fptr, buffer.buffer, buffer.size, buffer.growth, FITSMemoryBuffer.reallocate, &status)
        guard status == 0, let fptr else {
            throw FITSError.fromCFITSIO(status == 0 ? FITSError.memoryAllocation : status, operation: "create \(path) in memory")
        }
        let file = FITSFile(path: path, handle: fptr)
        let length: Int
        do {
            try body(file)
            length = try file.flushedLength()
            try file.close()
        } catch {
            file.closeQuietly()
            throw error
        }
        try buffer.write(length, to: path)
    }

    /// The length of the file so far: the end of its last HDU, padding included, after a flush.
    func flushedLength() throws -> Int {
        let f = try fptr()
        var status: Int32 = 0
        ffflus(f, &status)
        // Every HDU of a file built from empty memory was made through this handle, so cfitsio knows
        // the last one (`maxhdu`); asking ffthdu would read the file to its end looking for another.
        if let shared = f.pointee.Fptr, status == 0, shared.pointee.curhdu != shared.pointee.maxhdu {
            _ = ffmahd(f, shared.pointee.maxhdu + 1, nil, &status)
        }
        var headStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
        ffghadll(f, &headStart, &dataStart, &dataEnd, &status)
        try checkStatus(status, "finish \(path) in memory")
        return Int(dataEnd)
    }
}

/// The memory cfitsio's memory driver grows (through `reallocate`) and we write out. Each file starts
/// with a logical size of 0 and zeroed memory: cfitsio takes what a buffer holds as the file's content,
/// and a compressed image's writer seeks past the end and reads back the gap, which on disk is zeros.
/// Not thread-safe: one buffer per thread.
public final class FITSMemoryBuffer {
    let buffer = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
    let size = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// How much the memory grows at a time (one step holds a 100×100 float stamp).
    let growth: Int

    public init(growth: Int = 1 << 16) {
        self.growth = growth
        buffer.pointee = nil
        size.pointee = 0
    }

    deinit {
        free(buffer.pointee)
        buffer.deallocate()
        size.deallocate()
    }

    /// Ready for a new file: nothing of the last one left.
    func reset() {
        if let memory = buffer.pointee { memset(memory, 0, malloc_usable_size(memory)) }
        size.pointee = 0
    }

    static let reallocate: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { old, newSize in
        let oldSize = old.map { malloc_usable_size($0) } ?? 0
        guard let grown = realloc(old, newSize) else { return nil }
        if newSize > oldSize { memset(grown + oldSize, 0, newSize - oldSize) }
        return grown
    }

    /// Writes the first `length` bytes to a new file at `path` (mode 0644 less the umask). A file already
    /// there is replaced, not written through (it may be a hard link registered elsewhere).
    func write(_ length: Int, to path: String) throws {
        guard let base = buffer.pointee, length <= malloc_usable_size(base) else {
            throw FITSError(status: FITSError.memoryAllocation, operation: "write \(path)", message: "no memory file to write")
        }
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 && errno == EEXIST {
            unlink(path)
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else {
            throw FITSError(status: FITSError.fileNotCreated, operation: "create \(path)", message: String(cString: strerror(errno)))
        }
        var done = 0
        while done < length {
            let n = Glibc.write(fd, base + done, length - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(path)
                throw FITSError(status: FITSError.writeError, operation: "write \(path)", message: reason)
            }
            done += n
        }
        guard close(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw FITSError(status: FITSError.writeError, operation: "close \(path)", message: reason)
        }
    }
}
