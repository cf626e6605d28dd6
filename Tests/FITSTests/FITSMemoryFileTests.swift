import Foundation
import PStampCore
import Testing

@testable import FITS

@Suite("FITS files built in memory and written in one go")
struct FITSMemoryFileTests {
    static let cards = (0..<50).map { k in
        String("KEY\(k)".padding(toLength: 8, withPad: " ", startingAt: 0) + "= \(k)").padding(toLength: 80, withPad: " ", startingAt: 0)
    }

    static func image(_ width: Int, _ height: Int, nanEvery: Int = 0) -> [Float] {
        (0..<(width * height)).map { i in nanEvery > 0 && i % nanEvery == 0 ? .nan : Float(sin(Double(i)) * 100) }
    }

    /// The same file written by cfitsio's disk driver (cards first, as the stamp writer does).
    static func onDisk(_ path: String, _ pixels: [Float], _ w: Int, _ h: Int, _ compression: ImageCompression) throws {
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendImage(pixels, width: w, height: h, compression: compression, cards: cards)
        try f.close()
    }

    @Test("memory-built files are byte for byte what the disk driver writes, plain and RICE/GZIP, one buffer reused")
    func sameBytesAsDisk() throws {
        let dir = try TemporaryDirectory()
        let buffer = FITSMemoryBuffer(growth: 4096)  // small steps: the file grows through several reallocations
        let cases: [(Int, Int, ImageCompression, Int)] = [
            (100, 100, .none, 0), (100, 100, .ippImage, 0), (300, 200, .ippImage, 7), (40, 30, .none, 0),
            (257, 3, .gzip(tiles: .rows), 0), (100, 100, .ippImage, 0),
        ]
        for (n, (w, h, compression, nanEvery)) in cases.enumerated() {
            let pixels = Self.image(w, h, nanEvery: nanEvery)
            let disk = dir.path("disk\(n).fits"), memory = dir.path("memory\(n).fits")
            try Self.onDisk(disk, pixels, w, h, compression)
            try FITSFile.writeBuiltInMemory(to: memory, using: buffer) { f in
                try f.appendImage(pixels, width: w, height: h, compression: compression, cards: Self.cards)
            }
            let a = try Data(contentsOf: URL(fileURLWithPath: disk)), b = try Data(contentsOf: URL(fileURLWithPath: memory))
            #expect(a.count % 2880 == 0 && a.count > 2880)
            #expect(a == b, "case \(n): \(w)×\(h) \(compression): disk \(a.count) bytes, memory \(b.count) bytes")
            try expectFitsverifyClean(memory)
            let back = try FITSFile.open(memory)
            if case .none = compression { #expect(try back.readImage().elementsEqual(pixels) { $0 == $1 || ($0.isNaN && $1.isNaN) }) }
            if compression.isCompressed { try back.moveTo(hdu: 2) }
            #expect(try back.readInt("KEY49") == 49)
        }
    }

    @Test("a body that ends on an earlier HDU still gets the whole file: both HDUs, the last one compressed")
    func bodyEndingOnAnEarlierHDU() throws {
        let dir = try TemporaryDirectory()
        let disk = dir.path("disk.fits"), memory = dir.path("memory.fits")
        func build(_ f: FITSFile) throws {
            try f.appendImage(Self.image(20, 10), width: 20, height: 10, cards: Self.cards)
            try f.appendImage(Self.image(100, 100), width: 100, height: 100, compression: .ippImage, cards: Self.cards)
            try f.moveTo(hdu: 1)
            try f.write("LATER", 7)
        }
        let f = try FITSFile.create(disk, overwrite: true)
        try build(f)
        try f.close()
        try FITSFile.writeBuiltInMemory(to: memory) { try build($0) }
        let a = try Data(contentsOf: URL(fileURLWithPath: disk)), b = try Data(contentsOf: URL(fileURLWithPath: memory))
        #expect(a == b, "disk \(a.count) bytes, memory \(b.count) bytes")
        let back = try FITSFile.open(memory)
        #expect(try back.hduCount() == 2 && back.readInt("LATER") == 7)
    }

    @Test("a stamp's centre is read from its extension when compressed, else from the primary; (0, 0) when it has none")
    func stampCentre() throws {
        let dir = try TemporaryDirectory()
        let centre = ["RA_DEG  =            150.01234", "DEC_DEG =              2.04321"].map {
            $0.padding(toLength: 80, withPad: " ", startingAt: 0)
        }
        let plain = dir.path("plain.fits"), compressed = dir.path("compressed.fits"), bare = dir.path("bare.fits")
        try FITSFile.writeBuiltInMemory(to: plain) { try $0.appendImage(Self.image(10, 10), width: 10, height: 10, cards: centre) }
        try FITSFile.writeBuiltInMemory(to: compressed) {
            try $0.appendImage(Self.image(10, 10), width: 10, height: 10, compression: .ippImage, cards: centre)
        }
        try FITSFile.writeBuiltInMemory(to: bare) { try $0.appendImage(Self.image(10, 10), width: 10, height: 10) }
        let jpeg = dir.path("stamp.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0]).write(to: URL(fileURLWithPath: jpeg))
        #expect(StampCentre.read(plain) == (150.01234, 2.04321))
        #expect(StampCentre.read(compressed) == (150.01234, 2.04321))
        #expect(StampCentre.read(bare) == (0, 0))
        #expect(StampCentre.read(jpeg) == (0, 0))
        #expect(StampCentre.read(dir.path("missing.fits")) == (0, 0))
        // Many at once on all cores (as the results writer reads them), each in its place.
        let paths = (0..<40).map { [plain, bare, compressed, jpeg][$0 % 4] }
        #expect(
            paths.concurrentMap { StampCentre.read($0) }.map { "\($0.ra) \($0.dec)" }
                == paths.map { "\(StampCentre.read($0).ra) \(StampCentre.read($0).dec)" })
    }

    @Test("an existing file is replaced, not written through: a hard link to it keeps the old bytes")
    func replacesExisting() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("stamp.fits"), link = dir.path("registered.fits")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        #expect(Foundation.link(path, link) == 0)
        try FITSFile.writeBuiltInMemory(to: path) { f in try f.appendImage(Self.image(10, 10), width: 10, height: 10) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: link)) == Data("old".utf8))
        #expect(try FITSFile.open(path).imageSize().width == 10)
    }

    @Test("a failure leaves no file: a directory that is not there, a body that throws")
    func failuresLeaveNothing() throws {
        let dir = try TemporaryDirectory()
        let nowhere = dir.path("missing/stamp.fits")
        #expect(throws: FITSError.self) {
            try FITSFile.writeBuiltInMemory(to: nowhere) { f in try f.appendImage(Self.image(10, 10), width: 10, height: 10) }
        }
        let path = dir.path("bad.fits")
        #expect(throws: FITSError.self) {
            try FITSFile.writeBuiltInMemory(to: path) { f in try f.appendImage(Self.image(10, 10), width: 10, height: 11) }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: nowhere))
    }
}
