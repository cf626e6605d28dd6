import Foundation
import PStampCore
import Testing

@testable import ImageDB

/// The discovery query of the VO face (SIA 2, SODA without ID, DataLink) on the fixture sky, on both
/// drivers: images by region (exact overlap with the footprints' corners), by stage, by ID.
@Suite struct ImageDiscoveryTests {
    static let here = DALIShape.circle(ra: 150.02, dec: 1.98, radius: 0.004)

    static func names(_ found: [DiscoveredImage]) -> [String] { found.map(\.voID.localPart) }

    @Test(arguments: Driver.available)
    func aCircleFindsEveryStageOnTheSkyThere(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let warps = try db.discover(stages: [.warp], shapes: [Self.here], limit: 100)
        #expect(
            Set(Self.names(warps)) == [
                "gpc1/warp/500/skycell.1405.044", "gpc1/warp/501/skycell.1405.044", "gpc1/warp/502/skycell.1405.044",
            ])
        // The cleaned warp is listed (a cut-out restores it) and marked by its state.
        #expect(warps.first { $0.image.stageID == 502 }?.image.availability == .updatable)
        #expect(warps.allSatisfy { $0.corners.count == 4 && $0.sky.overlaps(Self.here) })
        let all = try db.discover(stages: [], shapes: [Self.here], limit: 100)
        #expect(Set(all.map(\.image.stage)) == [.raw, .chip, .warp, .stack, .diff])
        #expect(all.filter { $0.image.stage == .raw }.allSatisfy { $0.voID.component == "XY43" }, "the chip holding the point")
        // MAXREC-like limit, and a region off the fixture sky.
        #expect(try db.discover(stages: [], shapes: [Self.here], limit: 2).count == 2)
        #expect(try db.discover(stages: [], shapes: [.circle(ra: 10, dec: -40, radius: 0.1)], limit: 100).isEmpty)
        // A polygon and a range around the same point find the same warps.
        let square = DALIShape.polygon([
            ICRSPoint(ra: 150.018, dec: 1.978), ICRSPoint(ra: 150.022, dec: 1.978), ICRSPoint(ra: 150.022, dec: 1.982),
            ICRSPoint(ra: 150.018, dec: 1.982),
        ])
        #expect(Set(Self.names(try db.discover(stages: [.warp], shapes: [square], limit: 100))) == Set(Self.names(warps)))
        let range = DALIShape.range(ra1: 150.018, ra2: 150.022, dec1: 1.978, dec2: 1.982)
        #expect(Set(Self.names(try db.discover(stages: [.warp], shapes: [range], limit: 100))) == Set(Self.names(warps)))
    }

    @Test(arguments: Driver.available)
    func anIDNamesOneImageOrNone(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let warp = try #require(try db.discover(VOImageID(stage: .warp, id: 501, component: "skycell.1405.044")))
        #expect(warp.image.stageID == 501 && warp.footprint.component == "skycell.1405.044")
        #expect(warp.footprint.naxis1 > 0 && warp.corners.count == 4)
        let stack = try #require(try db.discover(VOImageID(stage: .stack, id: 30101)))
        #expect(stack.voID.localPart == "gpc1/stack/30101")
        #expect(try db.discover(VOImageID(stage: .warp, id: 999, component: "skycell.1405.044")) == nil)
        #expect(try db.discover(VOImageID(stage: .warp, id: 501, component: "skycell.9999.999")) == nil)
        #expect(try db.discover(VOImageID(stage: .stackSummary, id: 801)) == nil, "stack summaries are not cut by region")
    }
}
