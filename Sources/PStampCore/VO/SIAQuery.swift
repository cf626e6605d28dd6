/// An SIA 2.0 query (`/sia/query`), read from its DALI parameters: the regions, bands, times, calibration
/// levels, collections (image types) and IDs a route hands to the image database, and how many rows it
/// may answer. Repeated values of one parameter are OR-ed; different parameters are AND-ed (SIA 2.0 §2.1).
///
/// ```
/// let q = try SIAQuery(DALIParameters(items), authority: site.authority, maxrecLimit: 10_000)
/// let rows = images.filter(q.admits).prefix(q.maxrec)     // then SIAResults.votable(…)
/// ```
public struct SIAQuery: Sendable, Equatable {
    public var shapes: [DALIShape]
    public var bands: [DALIInterval]
    public var times: [DALIInterval]
    public var calibLevels: [Int]
    public var collections: [ImageType]
    public var ids: [VOImageID]
    public var maxrec: Int

    /// The parameters an SIA 2 query understands (others are ignored, as SIA 2.0 §2.2 allows).
    public static let parameterNames: Set<String> = [
        "POS", "BAND", "TIME", "POL", "FOV", "SPATRES", "EXPTIME", "ID", "COLLECTION", "FACILITY", "INSTRUMENT",
        "DPTYPE", "CALIB", "TARGET", "TIMERES", "SPECRP", "FORMAT", "MAXREC", "RESPONSEFORMAT", "UPLOAD", "RUNID",
    ]

    public init(_ p: DALIParameters, authority: String, defaultMaxrec: Int = 1000, maxrecLimit: Int = 10_000) throws(DALIError) {
        var shapes: [DALIShape] = []
        for v in p.values("POS") { shapes.append(try DALIShape.parsePOS(v)) }
        self.shapes = shapes
        bands = try p.bands()
        times = try p.times()
        calibLevels = try p.calibLevels()
        collections = try p.collections()
        ids = try p.imageIDs(authority: authority)
        maxrec = try p.maxrec(default: defaultMaxrec, limit: maxrecLimit)
        _ = try p.responseFormatIsVOTable()
    }

    /// True when an image record passes every constraint of the query.
    public func admits(_ record: SIARecord) -> Bool {
        let band = record.band?.interval
        return record.footprint.overlapsAny(shapes)
            && (bands.isEmpty || band.map { b in bands.contains { $0.overlaps(b) } } ?? false)
            && (times.isEmpty || times.contains { $0.overlaps(DALIInterval(record.tMin, record.tMax)) })
            && (calibLevels.isEmpty || calibLevels.contains(record.calibLevel))
            && (collections.isEmpty || collections.contains(record.id.stage))
            && (ids.isEmpty || ids.contains(record.id))
    }
}

/// A SODA 1.0 cut-out request (`/soda/sync`, and the parameters of a `/soda/async` job): the images (ID,
/// repeatable) and the regions (POS, CIRCLE, POLYGON). POS without ID searches images as a `bycoord` row
/// does, of the image types COLLECTION names (warps when none). PStamp adds `PIXELS=<x> <y> <w> <h>` (a
/// box in the named images' own pixels) and `OPTIONS` (the products besides the image: `mask`,
/// `variance`, `jpeg`, `sources`, `psf`, as the parameter interface names them).
public struct SODAQuery: Sendable, Equatable {
    public var ids: [VOImageID]
    public var shapes: [DALIShape]
    public var pixels: SODACut.Region?
    public var collections: [ImageType]
    /// The products to cut, the image always among them.
    public var optionMask: OptionMask

    /// The parameters SODA 1.0 defines that PStamp takes, and PStamp's own.
    public static let parameterNames: Set<String> = [
        "ID", "POS", "CIRCLE", "POLYGON", "RESPONSEFORMAT", "RUNID", "PIXELS", "OPTIONS", "COLLECTION",
    ]

    public init(_ p: DALIParameters, authority: String) throws(DALIError) {
        ids = try p.imageIDs(authority: authority)
        shapes = try p.shapes()
        collections = try p.collections()
        for name in ["BAND", "TIME", "POL"] where !p.values(name).isEmpty {
            throw .usage("\(name) is not supported: a PStamp image has one band, one time and no polarisation axis")
        }
        if let text = try p.single("PIXELS") {
            guard !ids.isEmpty else { throw .usage("PIXELS needs ID: pixel coordinates are those of a named image") }
            guard shapes.isEmpty else { throw .usage("PIXELS cannot be combined with POS, CIRCLE or POLYGON") }
            pixels = try SODACut.parsePixels(text)
        }
        guard !shapes.isEmpty || pixels != nil else { throw .usage("a cut-out needs a region: POS, CIRCLE or POLYGON") }
        var mask: OptionMask = [.image]
        for list in p.values("OPTIONS") {
            for name in list.lowercased().split(separator: ",").map({ String($0).trimmingSpaces() }) where !name.isEmpty {
                guard let bit = StampQuery.optionNames[name], bit != .uncompressed else {
                    let known = StampQuery.optionNames.keys.filter { $0 != "uncompressed" }.sorted().joined(separator: " ")
                    throw .usage("OPTIONS '\(name)' is not one of \(known)")
                }
                mask.insert(bit)
            }
        }
        optionMask = mask
    }

    /// The (ID, region) combinations of an async job, one result each (SODA 1.0 §4.2).
    public var combinations: [(id: VOImageID, shape: DALIShape)] {
        ids.flatMap { id in shapes.map { (id: id, shape: $0) } }
    }
}
