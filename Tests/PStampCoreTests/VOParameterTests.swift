import PStampCore
import Testing

/// DALI parameters as SIA 2 and SODA callers send them → typed values, or a UsageError that says what is wrong.
@Suite struct VOParameterTests {
    let authority = "example.org"

    @Test func namesAreCaseInsensitiveAndValuesRepeat() throws {
        let p = DALIParameters([("pos", "CIRCLE 150 2 0.1"), ("Pos", "RANGE 149 151 1 3"), ("band", "5e-7 6e-7")])
        #expect(p.values("POS").count == 2)
        let shapes = try p.shapes()
        #expect(shapes == [.circle(ra: 150, dec: 2, radius: 0.1), .range(ra1: 149, ra2: 151, dec1: 1, dec2: 3)])
        #expect(try p.bands() == [DALIInterval(5e-7, 6e-7)])
    }

    @Test func everyShapeOfPOSAndTheCircleAndPolygonParameters() throws {
        #expect(try DALIShape.parsePOS("circle 10 -5 0.5") == .circle(ra: 10, dec: -5, radius: 0.5))
        #expect(try DALIShape.parsePOS("RANGE 350 10 -Inf +Inf") == .range(ra1: 350, ra2: 10, dec1: -90, dec2: 90))
        let poly = try DALIShape.parsePOS("POLYGON 10 1 11 1 11 2")
        #expect(poly == .polygon([ICRSPoint(ra: 10, dec: 1), ICRSPoint(ra: 11, dec: 1), ICRSPoint(ra: 11, dec: 2)]))
        #expect(try DALIShape.parseCircle("-10 5 1") == .circle(ra: 350, dec: 5, radius: 1))
        #expect(try DALIShape.parsePolygon("10 1 11 1 11 2") == poly)
        #expect(poly.daliText == "POLYGON 10 1 11 1 11 2")
        let p = DALIParameters([("CIRCLE", "12 34 0.5"), ("POLYGON", "12 34 14 34 14 36 12 36")])
        #expect(try p.shapes().count == 2)
    }

    @Test(arguments: [
        ("SQUARE 1 2 3", "is not CIRCLE, RANGE or POLYGON"),
        ("CIRCLE 1 2", "needs 3 numbers"),
        ("CIRCLE 1 95 1", "declination 95 is outside -90 to 90"),
        ("CIRCLE 1 2 0", "radius 0 is not in (0, 180]"),
        ("CIRCLE 1 two 3", "'two' is not a number"),
        ("CIRCLE 1 2 +Inf", "'+Inf' is not a number"),
        ("RANGE 1 2 3", "needs 4 numbers"),
        ("RANGE 1 2 5 3", "declination 5 is above 3"),
        ("POLYGON 1 2 3 4", "at least 3 vertices"),
        ("POLYGON 1 2 3 4 5", "at least 3 vertices"),
        ("", "POS is empty"),
    ])
    func badRegionsAreUsageErrorsThatSayWhy(text: String, message: String) {
        #expect {
            _ = try DALIShape.parsePOS(text)
        } throws: { error in
            guard let e = error as? DALIError else { return false }
            return e.label == .usageError && e.message.contains(message) && e.httpStatus == 400
        }
    }

    @Test func intervalsWithOpenEnds() throws {
        #expect(try DALIInterval.parse("-Inf 5e-7", parameter: "BAND") == DALIInterval(-.infinity, 5e-7))
        #expect(try DALIInterval.parse("55123.5 +Inf", parameter: "TIME") == DALIInterval(55123.5, .infinity))
        #expect(try DALIInterval.parse("6.2e-7", parameter: "BAND") == DALIInterval(6.2e-7, 6.2e-7))
        #expect(throws: DALIError.usage("TIME: lower bound 2 is above upper 1")) { try DALIInterval.parse("2 1", parameter: "TIME") }
        #expect(throws: DALIError.usage("BAND: 'x' is not a number, -Inf or +Inf")) { try DALIInterval.parse("x 1", parameter: "BAND") }
        #expect(DALIInterval(1, 2).overlaps(DALIInterval(2, 3)))
        #expect(!DALIInterval(1, 2).overlaps(DALIInterval(2.5, 3)))
    }

    @Test func calibCollectionMaxrecAndResponseFormat() throws {
        let p = DALIParameters([("CALIB", "2"), ("collection", "Warp"), ("COLLECTION", "diff"), ("maxrec", "20000")])
        #expect(try p.calibLevels() == [2])
        #expect(try p.collections() == [.warp, .diff])
        #expect(try p.maxrec(default: 100, limit: 10_000) == 10_000)
        #expect(try DALIParameters([]).maxrec(default: 100, limit: 10_000) == 100)
        #expect(try p.responseFormatIsVOTable())
        #expect(throws: DALIError.usage("MAXREC may be given only once, got 2 values")) {
            try DALIParameters([("MAXREC", "1"), ("maxrec", "2")]).maxrec(default: 1, limit: 9)
        }
        #expect(throws: DALIError.usage("CALIB '7' is not a level 0 to 4")) { try DALIParameters([("CALIB", "7")]).calibLevels() }
        #expect(throws: DALIError.self) { try DALIParameters([("COLLECTION", "mosaic")]).collections() }
        #expect(throws: DALIError.self) { try DALIParameters([("RESPONSEFORMAT", "csv")]).responseFormatIsVOTable() }
        #expect(throws: DALIError.self) { try DALIParameters([("MAXREC", "-1")]).maxrec(default: 1, limit: 9) }
    }

    @Test func anSIAQueryCombinesItsConstraints() throws {
        let id = VOImageID(stage: .warp, id: 7, component: "skycell.1.2")
        let p = DALIParameters([
            ("POS", "CIRCLE 150.02 1.98 0.01"), ("BAND", "6e-7 6.1e-7"), ("TIME", "55000 56000"),
            ("COLLECTION", "warp"), ("ID", id.uri(authority: authority)),
        ])
        let q = try SIAQuery(p, authority: authority)
        var record = SIARecord(
            id: id, accessURL: "http://h/x.fits", footprint: VOFootprintTests.square(ra: 150, dec: 2, half: 0.1),
            tMin: 55500, tMax: 55500.01, filter: "r.00000", cleaned: false)
        #expect(q.admits(record))
        record.band = .i
        #expect(!q.admits(record))
        record.band = .r
        record.tMin = 57000
        record.tMax = 57001
        #expect(!q.admits(record))
    }

    @Test func aSODAQueryNeedsARegionAndRefusesAxesImagesDoNotHave() throws {
        let id = VOImageID(stage: .chip, id: 3, component: "XY33")
        let q = try SODAQuery(
            DALIParameters([("ID", id.uri(authority: authority)), ("CIRCLE", "1 2 0.1"), ("POS", "RANGE 1 2 1 2")]), authority: authority)
        #expect(q.combinations.count == 2)
        #expect(throws: DALIError.usage("a cut-out needs a region: POS, CIRCLE or POLYGON")) {
            try SODAQuery(DALIParameters([("ID", id.uri(authority: authority))]), authority: authority)
        }
        #expect(throws: DALIError.self) { try SODAQuery(DALIParameters([("CIRCLE", "1 2 0.1"), ("BAND", "1 2")]), authority: authority) }
    }

    @Test func errorLabelsMapToHTTPStatuses() {
        #expect(DALIError(.notFound, "x").httpStatus == 404)
        #expect(DALIError(.authorizationError, "x").httpStatus == 403)
        #expect(DALIError(.serviceUnavailable, "x").httpStatus == 503)
        #expect(DALIError(.serviceUnavailable, "x").isTransient)
        #expect(DALIError.usage("POS is bad").description == "UsageError: POS is bad")
    }

    @Test func ps1BandsInMetres() {
        #expect(PS1Band(filter: "r.00000") == .r)
        #expect(PS1Band(filter: "q.00000") == nil)
        #expect(PS1Band.g.interval == DALIInterval(400e-9, 550e-9))
        #expect(PS1Band.matching([DALIInterval(6e-7, 6e-7)]) == [.r, .w])
        #expect(PS1Band.matching([DALIInterval(1e-6, .infinity)]) == [.y])
        #expect(PS1Band.matching([]).count == 6)
    }
}
