import Foundation
import PStampCore
import Testing

@testable import ImageDB

/// A parse's lookup memo answers what the parse asked before, and never changes an answer.
@Suite struct LookupMemoTests {
    /// Points over and between the fixture skycells, including declinations exactly on the edges of
    /// the skycell query's 0.1° bands and points on no skycell.
    static func probePoints() throws -> [SkyPoint] {
        let cells = try FixtureRows.footprints().filter { $0.stage == .skycell }
        var points: [SkyPoint] = []
        for cell in cells {
            for f in [-1.1, -0.6, 0, 0.35, 0.9, 1.2] {
                points.append(SkyPoint(ra: cell.center.ra + f * cell.radius, dec: cell.center.dec + f * cell.radius))
                points.append(SkyPoint(ra: cell.center.ra - f * cell.radius, dec: cell.center.dec + f * 0.5 * cell.radius))
            }
        }
        let ras = cells.map(\.center.ra)
        for edge in [1.9, 2.0, 2.1, 2.2] {
            for ra in stride(from: ras.min()! - 0.05, through: ras.max()! + 0.05, by: 0.02) {
                points.append(SkyPoint(ra: ra, dec: edge))
            }
        }
        return points
    }

    /// What a lookup answers: its images, or its code.
    static func answer(_ db: any ImageDatabase, _ query: ImageQuery, memo: LookupMemo?) -> String {
        do {
            return try db.locate(query, memo: memo).map { "\($0.stage)/\($0.stageID)/\($0.component)" }.joined(separator: ",")
        } catch let error as PStampError {
            return "code \(error.code.rawValue)"
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: Driver.available)
    func aSharedMemoGivesTheSameImagesAndCodesAsNone(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let memo = LookupMemo()
        let points = try Self.probePoints()
        var found = 0
        for point in points {
            let queries = [
                ImageQuery(requestType: .bycoord, imageType: .warp, skyCenter: point),
                ImageQuery(requestType: .bycoord, imageType: .stack, skyCenter: point),
                ImageQuery(requestType: .byid, imageType: .warp, id: "501", skyCenter: point),
                ImageQuery(requestType: .bycoord, imageType: .chip, skyCenter: point),
            ]
            for query in queries {
                let plain = Self.answer(db, query, memo: nil)
                let memoized = Self.answer(db, query, memo: memo)
                #expect(memoized == plain, "\(query.requestType) \(query.imageType) at \(point.ra), \(point.dec)")
                if !plain.hasPrefix("code") { found += 1 }
            }
        }
        // The probe covers both outcomes: images found and rows on nothing.
        #expect(found > points.count / 2 && found < points.count * 4)
    }

    /// Counts the SELECTs that reach the database.
    final class CountingExecutor: SQLExecutor {
        let base: any SQLExecutor
        var asked: [String] = []
        init(base: any SQLExecutor) { self.base = base }
        func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
            asked.append(sql + " " + arguments.map(\.description).joined(separator: ","))
            return try base.query(sql, arguments)
        }
        func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int { try base.execute(sql, arguments) }
    }

    @Test(arguments: Driver.available)
    func manyPositionsOnOneWarpAskEachStatementOnce(_ driver: Driver) throws {
        let db = try TestServer.shared(driver)
        let center = try skycellCenter("skycell.1405.044")
        let memo = LookupMemo()
        let (components, asked) = try db.connection.read { connected in
            let spy = CountingExecutor(base: connected)
            let memoized = MemoizedExecutor(base: spy, memo: memo)
            var components: [String] = []
            // 50 positions a few arcseconds apart inside one 0.1° band, as a user's list of sources.
            for i in 0..<50 {
                let point = SkyPoint(ra: center.ra + Double(i) * 0.00005, dec: center.dec + Double(i % 7) * 0.00004)
                let query = ImageQuery(requestType: .byid, imageType: .warp, id: "501", skyCenter: point)
                var lookup = GPC1Lookup(
                    db: memoized, footprints: FootprintIndex(db: memoized, test: db.footprintTest, memo: memo), query: query)
                components += try lookup.run().map(\.component)
            }
            return (components, spy.asked)
        }
        #expect(components == Array(repeating: "skycell.1405.044", count: 50))
        #expect(Set(asked).count == asked.count, "a statement reached the database twice: \(asked)")
        #expect(asked.count < 10, "\(asked.count) statements for 50 rows on one warp")
    }

    @Test func aHeaderIsParsedOnceAndABadOneIsNotKept() throws {
        let memo = LookupMemo()
        let cell = try FixtureRows.footprints().first { $0.stage == .skycell }!
        let first = try memo.wcs(header: cell.wcsHeader)
        let again = try memo.wcs(header: cell.wcsHeader)
        #expect(first === again)
        #expect(throws: (any Error).self) { try memo.wcs(header: "NOT A HEADER") }
        #expect(throws: (any Error).self) { try memo.wcs(header: "NOT A HEADER") }
    }
}
