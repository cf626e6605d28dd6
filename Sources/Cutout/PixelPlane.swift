// Where stamp pixels come from: one image plane (science image, mask or variance) of a source.
//
//   FITSPlane      an image HDU read through cfitsio sections (uncompressed, or tile-compressed: cfitsio
//                  decompresses only the tiles a section touches)
//   MemoryPlane    pixels already in memory (a raw chip mosaicked from its cells)
//   RowWindowPlane a FITS plane read row band by row band for a batch sorted by row: each row (each tile
//                  of a row-tiled compressed image) is read once however many stamps need it
import FITS
import Glibc
import PStampCore

/// One plane of pixels of type `Pixel`, `width × height`, read by 0-based half-open regions.
public protocol PixelPlane<Pixel>: AnyObject {
    associatedtype Pixel: FITSPixelValue
    var width: Int { get }
    var height: Int { get }
    /// The pixels of `region` (wholly inside the plane), row-major.
    func read(_ region: PixelRegion) throws -> [Pixel]
}

/// An image HDU of an open file. Uncompressed float images and unsigned 16-bit masks are read row by
/// row straight from the file (DirectPixelReader); everything else through cfitsio sections.
public final class FITSPlane<Pixel: FITSPixelValue>: PixelPlane {
    public let file: FITSFile
    public let hdu: Int
    public let width: Int
    public let height: Int
    private let direct: DirectPixelReader?

    public init(file: FITSFile, hdu: Int) throws {
        self.file = file
        self.hdu = hdu
        try file.moveTo(hdu: hdu)
        (width, height) = try file.imageSize()
        if let reader = try DirectPixelReader(file: file),
            (reader.layout == .float32 && Pixel.self == Float.self) || (reader.layout == .uint16 && Pixel.self == UInt16.self)
        {
            direct = reader
        } else {
            direct = nil
        }
    }

    /// True when sections are read straight from the file: small reads, nothing gained by row windows.
    public var readsDirectly: Bool { direct != nil }

    /// Many sections to come (a batch): read them from a mapping of the file instead of one pread per row.
    public func prepareForManySections() { direct?.map() }

    public func read(_ region: PixelRegion) throws -> [Pixel] {
        if let direct {
            switch direct.layout {
            case .float32: return unsafeBitCast(try direct.readFloat(region), to: [Pixel].self)
            case .uint16: return unsafeBitCast(try direct.readUInt16(region), to: [Pixel].self)
            }
        }
        if file.currentHDU != hdu { try file.moveTo(hdu: hdu) }
        return try file.readSection(region, as: Pixel.self)
    }
}

/// Pixels held in memory.
public final class MemoryPlane<Pixel: FITSPixelValue>: PixelPlane {
    public let width: Int
    public let height: Int
    public let pixels: [Pixel]

    public init(pixels: [Pixel], width: Int, height: Int) {
        precondition(pixels.count == width * height)
        self.pixels = pixels; self.width = width; self.height = height
    }

    public func read(_ region: PixelRegion) throws -> [Pixel] {
        pixels.withUnsafeBufferPointer { p in
            PixelRows.copy(region, from: p, rowLength: width, firstRow: 0)
        }
    }
}

/// Full-width rows of a plane kept in a sliding window. Reads must come in non-decreasing order of
/// their first row (a batch sorted by row); rows below the current read are dropped, rows above are
/// read in bands of at least `band` rows. Reads that go backwards fall through to the plane itself.
public final class RowWindowPlane<Base: PixelPlane>: PixelPlane {
    public typealias Pixel = Base.Pixel
    public let base: Base
    public var width: Int { base.width }
    public var height: Int { base.height }
    let band: Int
    private var storeFirst = 0  // first row in `rows`
    private var firstRow = 0  // first row still wanted (rows below it are dropped lazily)
    private var rows: [Pixel] = []  // full-width rows storeFirst ..< storeFirst + stored
    private var stored = 0

    public init(_ base: Base, band: Int = 64) {
        self.base = base
        self.band = max(1, band)
    }

    public func read(_ region: PixelRegion) throws -> [Pixel] {
        if region.y0 < firstRow { return try base.read(region) }
        firstRow = region.y0
        let held = storeFirst + stored
        if firstRow >= held {  // nothing useful held: start afresh
            rows.removeAll(keepingCapacity: true)
            storeFirst = firstRow
            stored = 0
        } else if firstRow - storeFirst > max(band, stored / 2) {  // compact now and then, not every read
            let drop = firstRow - storeFirst
            rows.removeFirst(drop * width)
            storeFirst += drop
            stored -= drop
        }
        let end = storeFirst + stored
        if region.y1 > end {
            let last = min(height, max(region.y1, end + band))
            rows.append(contentsOf: try base.read(PixelRegion(x0: 0, y0: end, width: width, height: last - end)))
            stored = last - storeFirst
        }
        return rows.withUnsafeBufferPointer { p in
            PixelRows.copy(region, from: p, rowLength: width, firstRow: storeFirst)
        }
    }
}

/// Copying a region out of full-width rows. Pixels are plain numbers, so each row is one memcpy (generic
/// code copying element by element went through a value-witness call per pixel).
enum PixelRows {
    /// The pixels of `region` from `rows`, which hold rows `firstRow…` of `rowLength` pixels each.
    static func copy<Pixel: FITSPixelValue>(
        _ region: PixelRegion, from rows: UnsafeBufferPointer<Pixel>,
        rowLength: Int, firstRow: Int
    ) -> [Pixel] {
        let w = region.width, n = region.pixelCount
        precondition(
            region.x0 >= 0 && region.x1 <= rowLength && region.y0 >= firstRow
                && (region.y1 - firstRow) * rowLength <= rows.count, "region \(region) outside the rows held")
        return [Pixel](unsafeUninitializedCapacity: n) { out, count in
            let bytes = w * MemoryLayout<Pixel>.stride
            for (k, y) in (region.y0..<region.y1).enumerated() {
                memcpy(out.baseAddress! + k * w, rows.baseAddress! + ((y - firstRow) * rowLength + region.x0), bytes)
            }
            count = n
        }
    }
}
