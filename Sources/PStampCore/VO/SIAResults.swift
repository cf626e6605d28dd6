/// One image as SIA 2 lists it: the ObsCore 1.1 columns PStamp can fill from the image database.
public struct SIARecord: Sendable, Equatable {
    public var id: VOImageID
    /// Where the whole image can be fetched (or the DataLink `{links}` URL for it).
    public var accessURL: String
    public var accessFormat: String
    public var accessSizeKB: Int64?
    public var footprint: ImageFootprint
    /// Observation start and end, MJD (UTC).
    public var tMin: Double
    public var tMax: Double
    public var exposureSeconds: Double?
    public var band: PS1Band?
    public var filter: String?
    /// Pixels along each axis.
    public var width: Int?
    public var height: Int?
    /// True when the image was cleaned from disk; a cut-out of it still works after a restore.
    public var cleaned: Bool

    public init(
        id: VOImageID, accessURL: String, accessFormat: String = "image/fits", accessSizeKB: Int64? = nil,
        footprint: ImageFootprint, tMin: Double, tMax: Double, exposureSeconds: Double? = nil, filter: String?,
        width: Int? = nil, height: Int? = nil, cleaned: Bool
    ) {
        self.id = id
        self.accessURL = accessURL
        self.accessFormat = accessFormat
        self.accessSizeKB = accessSizeKB
        self.footprint = footprint
        self.tMin = tMin
        self.tMax = tMax
        self.exposureSeconds = exposureSeconds
        self.filter = filter
        self.band = filter.flatMap(PS1Band.init(filter:))
        self.width = width
        self.height = height
        self.cleaned = cleaned
    }

    /// ObsCore calib_level: 1 for raw exposures, 2 for calibrated chips and warps, 3 for stacks and
    /// difference images (products of several exposures).
    public var calibLevel: Int {
        switch id.stage {
        case .raw: 1
        case .chip, .warp: 2
        case .stack, .stackSummary, .diff: 3
        }
    }
}

/// The SIA 2 answer: a VOTable of ObsCore columns with a DataLink service descriptor for SODA cut-outs.
public enum SIAResults {
    /// The columns, ObsCore 1.1 names, UCDs, units and utypes, plus `pstamp_state` (`full` or `cleaned`).
    public static let fields: [VOTable.Field] = [
        .text("dataproduct_type", ucd: "meta.code.class", utype: "obscore:ObsDataset.dataProductType"),
        VOTable.Field("calib_level", "int", ucd: "meta.code;obs.calib", utype: "obscore:ObsDataset.calibLevel"),
        .text("obs_collection", ucd: "meta.id", utype: "obscore:DataID.Collection"),
        .text("obs_id", ucd: "meta.id", utype: "obscore:DataID.observationID"),
        .text("obs_publisher_did", ucd: "meta.ref.ivoid", utype: "obscore:Curation.PublisherDID"),
        .text("access_url", ucd: "meta.ref.url", utype: "obscore:Access.Reference"),
        .text("access_format", ucd: "meta.code.mime", utype: "obscore:Access.Format"),
        VOTable.Field("access_estsize", "long", unit: "kbyte", ucd: "phys.size;meta.file", utype: "obscore:Access.Size"),
        VOTable.Field(
            "s_ra", "double", unit: "deg", ucd: "pos.eq.ra", utype: "obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1"),
        VOTable.Field(
            "s_dec", "double", unit: "deg", ucd: "pos.eq.dec",
            utype: "obscore:Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2"),
        VOTable.Field(
            "s_fov", "double", unit: "deg", ucd: "phys.angSize;instr.fov", utype: "obscore:Char.SpatialAxis.Coverage.Bounds.Extent.diameter"
        ),
        VOTable.Field(
            "s_region", "double", arraysize: "*", unit: "deg", ucd: "pos.outline;obs.field",
            utype: "obscore:Char.SpatialAxis.Coverage.Support.Area", xtype: "polygon"),
        VOTable.Field("s_xel1", "long", ucd: "meta.number", utype: "obscore:Char.SpatialAxis.numBins1"),
        VOTable.Field("s_xel2", "long", ucd: "meta.number", utype: "obscore:Char.SpatialAxis.numBins2"),
        VOTable.Field(
            "t_min", "double", unit: "d", ucd: "time.start;obs.exposure", utype: "obscore:Char.TimeAxis.Coverage.Bounds.Limits.StartTime"),
        VOTable.Field(
            "t_max", "double", unit: "d", ucd: "time.end;obs.exposure", utype: "obscore:Char.TimeAxis.Coverage.Bounds.Limits.StopTime"),
        VOTable.Field(
            "t_exptime", "double", unit: "s", ucd: "time.duration;obs.exposure", utype: "obscore:Char.TimeAxis.Coverage.Support.Extent"),
        VOTable.Field(
            "em_min", "double", unit: "m", ucd: "em.wl;stat.min", utype: "obscore:Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit"),
        VOTable.Field(
            "em_max", "double", unit: "m", ucd: "em.wl;stat.max", utype: "obscore:Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit"),
        .text("o_ucd", ucd: "meta.ucd", utype: "obscore:Char.ObservableAxis.ucd"),
        .text("facility_name", ucd: "meta.id;instr.tel", utype: "obscore:Provenance.ObsConfig.Facility.name"),
        .text("instrument_name", ucd: "meta.id;instr", utype: "obscore:Provenance.ObsConfig.Instrument.name"),
        .text("pstamp_filter", ucd: "meta.id;instr.filter", description: "the filter as the image database names it"),
        .text("pstamp_state", ucd: "meta.code.status", description: "full: on disk; cleaned: a cut-out restores it first"),
    ]

    /// One row of the table.
    public static func row(_ r: SIARecord, authority: String) -> [String?] {
        let fov = r.footprint.corners.map { angularDistance(r.footprint.center, $0) }.max().map { 2 * $0 }
        let region = r.footprint.corners.map { "\(VOXML.number($0.ra)) \(VOXML.number($0.dec))" }.joined(separator: " ")
        return [
            "image", String(r.calibLevel), r.id.stage.rawValue, r.id.localPart, r.id.uri(authority: authority),
            r.accessURL, r.accessFormat, r.accessSizeKB.map(String.init),
            VOXML.number(r.footprint.center.ra), VOXML.number(r.footprint.center.dec), fov.map(VOXML.number), region,
            r.width.map(String.init), r.height.map(String.init),
            VOXML.number(r.tMin), VOXML.number(r.tMax), r.exposureSeconds.map(VOXML.number),
            r.band.map { VOXML.number($0.interval.lower) }, r.band.map { VOXML.number($0.interval.upper) },
            "phot.count", "PS1", r.id.project.uppercased(), r.filter, r.cleaned ? "cleaned" : "full",
        ]
    }

    /// The SODA inputs a client fills from a result row: ID from `obs_publisher_did`, and a region.
    public static let sodaInputs: [VOTable.Param] = [
        VOTable.Param("ID", ucd: "meta.ref.url;meta.curation", ref: "obs_publisher_did", description: "the image to cut"),
        VOTable.Param("POS", ucd: "pos.outline;obs", description: "CIRCLE ra dec r, RANGE ra1 ra2 dec1 dec2 or POLYGON ra dec …"),
        VOTable.Param("CIRCLE", datatype: "double", arraysize: "3", unit: "deg", ucd: "pos.outline;obs", xtype: "circle"),
        VOTable.Param("POLYGON", datatype: "double", arraysize: "*", unit: "deg", ucd: "pos.outline;obs", xtype: "polygon"),
    ]

    /// The whole answer. `overflow`: MAXREC cut the rows. `sodaSyncURL` (and `sodaAsyncURL`,
    /// `dataLinkURL`) are where the service descriptors point.
    public static func votable(
        _ records: [SIARecord], authority: String, overflow: Bool, sodaSyncURL: String, sodaAsyncURL: String? = nil,
        dataLinkURL: String? = nil
    ) -> String {
        var resources = [
            VOTable.resultsResource(
                infos: [VOTable.queryStatus(overflow: overflow)], fields: fields, rows: records.map { row($0, authority: authority) })
        ]
        resources.append(
            VOTable.serviceDescriptor(
                id: "soda-sync", standardID: VOSI.StandardID.sodaSync, accessURL: sodaSyncURL, inputs: sodaInputs))
        if let dataLinkURL {
            let input = VOTable.Param("ID", ucd: "meta.id;meta.main", ref: "obs_publisher_did", description: "the image")
            resources.append(
                VOTable.serviceDescriptor(id: "datalink", standardID: VOSI.StandardID.dataLink, accessURL: dataLinkURL, inputs: [input]))
        }
        if let sodaAsyncURL {
            resources.append(
                VOTable.serviceDescriptor(
                    id: "soda-async", standardID: VOSI.StandardID.sodaAsync, accessURL: sodaAsyncURL, inputs: sodaInputs))
        }
        return VOTable.document(resources)
    }

    /// The angle between two points, degrees.
    static func angularDistance(_ a: ICRSPoint, _ b: ICRSPoint) -> Double {
        UnitVector(a).angle(to: UnitVector(b)) * 180 / .pi
    }
}
