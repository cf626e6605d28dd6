// Reading images: size, type and sections (cfitsio `fits_read_subset`), compressed or not.
//
//   let (w, h) = try f.imageSize()                 // current HDU; a tile-compressed HDU reads as an image
//   try f.imageBitpix()                             // equivalent BITPIX (-32, 16, 20 = unsigned 16 …)
//   let px: [Float] = try f.readSection(region)     // Float32, row-major, region.width × region.height;
//                                                   // undefined integer pixels (BLANK) become NaN
//   let m: [UInt16] = try f.readSection(region, as: UInt16.self)   // Int16, UInt16, Int32, UInt8, Float, Double
//   let any = try f.readSectionNative(region)       // ImagePixels in the image's own type
//
// Regions are 0-based half-open (PixelConvention.swift) and must lie inside the image: padding a stamp
// that runs off the edge is the caller's job (see PixelRegion.intersection).
import CFITSIO

/// A Swift pixel type that cfitsio can read and write.
public protocol FITSPixelValue: Sendable, Numeric {
    /// cfitsio datatype code (TFLOAT, TSHORT, …).
    static var fitsDatatype: Int32 { get }
    /// cfitsio image type for creating an image of this type (FLOAT_IMG, SHORT_IMG, USHORT_IMG, …).
    static var fitsImageType: Int32 { get }
    /// The value written for "no data" when reading undefined pixels (NaN for floats, 0 for integers).
    static var fitsNullValue: Self { get }
}

extension Float: FITSPixelValue {
    public static var fitsDatatype: Int32 { TFLOAT }
    public static var fitsImageType: Int32 { FLOAT_IMG }
    public static var fitsNullValue: Float { .nan }
}
extension Double: FITSPixelValue {
    public static var fitsDatatype: Int32 { TDOUBLE }
    public static var fitsImageType: Int32 { DOUBLE_IMG }
    public static var fitsNullValue: Double { .nan }
}
extension Int16: FITSPixelValue {
    public static var fitsDatatype: Int32 { TSHORT }
    public static var fitsImageType: Int32 { SHORT_IMG }
    public static var fitsNullValue: Int16 { 0 }
}
extension UInt16: FITSPixelValue {
    public static var fitsDatatype: Int32 { TUSHORT }
    public static var fitsImageType: Int32 { USHORT_IMG }
    public static var fitsNullValue: UInt16 { 0 }
}
extension Int32: FITSPixelValue {
    public static var fitsDatatype: Int32 { TINT }
    public static var fitsImageType: Int32 { LONG_IMG }
    public static var fitsNullValue: Int32 { 0 }
}
extension UInt8: FITSPixelValue {
    public static var fitsDatatype: Int32 { TBYTE }
    public static var fitsImageType: Int32 { BYTE_IMG }
    public static var fitsNullValue: UInt8 { 0 }
}

/// Pixels in the image's own type.
public enum ImagePixels: Sendable {
    case uint8([UInt8])
    case int16([Int16])
    case uint16([UInt16])
    case int32([Int32])
    case float32([Float])
    case float64([Double])

    /// The pixels as Float32 (integers converted exactly where they fit).
    public var asFloat: [Float] {
        switch self {
        case .uint8(let a): return a.map { Float($0) }
        case .int16(let a): return a.map { Float($0) }
        case .uint16(let a): return a.map { Float($0) }
        case .int32(let a): return a.map { Float($0) }
        case .float32(let a): return a
        case .float64(let a): return a.map { Float($0) }
        }
    }
    public var count: Int {
        switch self {
        case .uint8(let a): return a.count
        case .int16(let a): return a.count
        case .uint16(let a): return a.count
        case .int32(let a): return a.count
        case .float32(let a): return a.count
        case .float64(let a): return a.count
        }
    }
}

extension FITSFile {
    /// Width and height of the image in the current HDU (NAXIS1, NAXIS2; a 1-D image has height 1).
    public func imageSize() throws -> (width: Int, height: Int) {
        let f = try fptr()
        var naxis: Int32 = 0, status: Int32 = 0
        ffgidm(f, &naxis, &status)
        try checkStatus(status, "read image dimensions in \(path)")
        guard naxis >= 1 else {
            throw FITSError(
                status: FITSError.notImage, operation: "read image size in \(path)",
                message: "HDU \(currentHDU) holds no image (NAXIS = \(naxis))")
        }
        var dims = [Int](repeating: 1, count: Int(max(naxis, 2)))
        ffgisz(f, naxis, &dims, &status)
        try checkStatus(status, "read image size in \(path)")
        return (dims[0], naxis >= 2 ? dims[1] : 1)
    }

    /// The equivalent BITPIX of the image (BZERO 32768 on 16-bit gives 20, USHORT_IMG).
    public func imageBitpix() throws -> Int {
        var bitpix: Int32 = 0, status: Int32 = 0
        ffgiet(try fptr(), &bitpix, &status)
        try checkStatus(status, "read image type in \(path)")
        return Int(bitpix)
    }

    /// A section of the image as Float32, row-major (x fastest). Undefined pixels read as NaN.
    public func readSection(_ region: PixelRegion) throws -> [Float] {
        try readSection(region, as: Float.self)
    }

    /// A section of the image converted to `T`, row-major. Undefined pixels read as `T.fitsNullValue`.
    public func readSection<T: FITSPixelValue>(_ region: PixelRegion, as type: T.Type) throws -> [T] {
        let (w, h) = try imageSize()
        let bounds = PixelRegion.whole(width: w, height: h)
        guard !region.isEmpty, bounds.contains(region) else {
            throw FITSError(
                status: FITSError.badPixelNumber, operation: "read section \(region) of \(path)",
                message: "region outside the \(w)×\(h) image")
        }
        guard region.pixelCount <= 1 << 30 else {
            throw FITSError(status: FITSError.arrayTooBig, operation: "read section \(region) of \(path)")
        }
        var naxis: Int32 = 0, status: Int32 = 0
        let f = try fptr()
        ffgidm(f, &naxis, &status)
        let first = region.fitsFirstPixel, last = region.fitsLastPixel
        var blc = [first.x, first.y] + [Int](repeating: 1, count: max(0, Int(naxis) - 2))
        var trc = [last.x, last.y] + [Int](repeating: 1, count: max(0, Int(naxis) - 2))
        var inc = [Int](repeating: 1, count: max(2, Int(naxis)))
        if naxis == 1 { blc = [first.x]; trc = [last.x]; inc = [1] }
        var nulval = T.fitsNullValue
        var anynul: Int32 = 0
        // cfitsio sets every pixel (undefined ones to nulval): no need to fill the array first, which
        // unspecialised generic code would do one value-witness call per pixel.
        let n = region.pixelCount
        let pixels = [T](unsafeUninitializedCapacity: n) { buffer, count in
            withUnsafeMutableBytes(of: &nulval) { nul in
                _ = ffgsv(f, T.fitsDatatype, &blc, &trc, &inc, nul.baseAddress, buffer.baseAddress, &anynul, &status)
            }
            if status != 0 { buffer.baseAddress!.initialize(repeating: T.fitsNullValue, count: n) }
            count = n
        }
        try checkStatus(status, "read section \(region) of \(path)")
        return pixels
    }

    /// A section in the image's own type (by its equivalent BITPIX).
    public func readSectionNative(_ region: PixelRegion) throws -> ImagePixels {
        switch try imageBitpix() {
        case 8: return .uint8(try readSection(region, as: UInt8.self))
        case 16: return .int16(try readSection(region, as: Int16.self))
        case 20: return .uint16(try readSection(region, as: UInt16.self))
        case 32: return .int32(try readSection(region, as: Int32.self))
        case -32: return .float32(try readSection(region, as: Float.self))
        case -64: return .float64(try readSection(region, as: Double.self))
        case let b:
            throw FITSError(
                status: FITSError.badDatatype, operation: "read section of \(path)",
                message: "unsupported BITPIX \(b)")
        }
    }

    /// The whole image as Float32.
    public func readImage() throws -> [Float] {
        let (w, h) = try imageSize()
        return try readSection(.whole(width: w, height: h))
    }
}
