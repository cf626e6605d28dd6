/// OPTION_MASK of a request row and `pstampJob.options`: which products a job makes
/// (IPP `pstamp.h` / RequestFile.pm). The server always forces `.image` on.
public struct OptionMask: OptionSet, Hashable, Sendable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }

    public static let image = OptionMask(rawValue: 1)
    public static let mask = OptionMask(rawValue: 2)
    /// Also called WEIGHT.
    public static let variance = OptionMask(rawValue: 4)
    /// The source catalogue (CMF).
    public static let sources = OptionMask(rawValue: 8)
    public static let psf = OptionMask(rawValue: 16)
    public static let backgroundModel = OptionMask(rawValue: 32)
    public static let jpeg = OptionMask(rawValue: 64)
    /// Stack exposure-time image.
    public static let exp = OptionMask(rawValue: 128)
    /// Stack input-count image.
    public static let num = OptionMask(rawValue: 256)
    public static let uncompressed = OptionMask(rawValue: 512)
    /// Diff template / inverse.
    public static let inverse = OptionMask(rawValue: 1024)
    /// Unconvolved stack.
    public static let unconvolved = OptionMask(rawValue: 2048)
    public static let restoreBackground = OptionMask(rawValue: 4096)
    /// ppstamp -centeroffchip.
    public static let multiOverlapImage = OptionMask(rawValue: 8192)
    /// ID is an imfile / skyfile id.
    public static let useImfileID = OptionMask(rawValue: 16384)
    /// Do not wait for cleaned images to be regenerated: fault 25 instead.
    public static let noWaitForUpdate = OptionMask(rawValue: 32768)
    public static let expJPEG = OptionMask(rawValue: 0x10000)
    public static let numJPEG = OptionMask(rawValue: 0x20000)
}

/// COORD_MASK of a request row: how CENTER_X/Y and WIDTH/HEIGHT are to be read.
public struct CoordMask: OptionSet, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// PSTAMP_CENTER_IN_PIXELS: the centre is in pixels; otherwise RA/Dec in decimal degrees.
    public static let centerInPixels = CoordMask(rawValue: 1)
    /// PSTAMP_RANGE_IN_PIXELS: WIDTH and HEIGHT are pixels; otherwise arcseconds.
    public static let rangeInPixels = CoordMask(rawValue: 2)
}
