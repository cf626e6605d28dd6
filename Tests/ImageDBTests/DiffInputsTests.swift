import Foundation
import Testing

@testable import ImageDB

/// The inputs of a diff skycell (diffInputSkyfile by diff_mode, with each input's state), on both drivers.
@Suite struct DiffInputsTests {
    @Test(arguments: Driver.available)
    func warpWarpDiffListsBothWarpSkyfiles(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        let inputs = try #require(try db.diffSkyfileInputs(diffID: 30602, skycellID: "skycell.1405.054"))
        #expect(inputs.diffMode == 1)
        #expect(inputs.warp1 == 504 && inputs.warp2 == 501 && inputs.stack1 == nil && inputs.stack2 == nil)
        #expect(inputs.warp1State?.stageID == 504 && inputs.warp1State?.component == "skycell.1405.054")
        #expect(inputs.warp1State?.runState == "update" && inputs.warp1State?.dataState == "full")
        #expect(inputs.warp2State?.runState == "full" && inputs.warp2State?.dataState == "full")
        #expect(inputs.stack1State == nil && inputs.stack2State == nil)
    }

    @Test(arguments: Driver.available)
    func warpStackAndStackStackDiffsGiveTheirStacksStates(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        let warpStack = try #require(try db.diffSkyfileInputs(diffID: 30601, skycellID: "skycell.1405.044"))
        #expect(warpStack.diffMode == 2 && warpStack.warp1 == 501 && warpStack.stack2 == 30101)
        #expect(warpStack.warp1State?.dataState == "full" && warpStack.stack2State == .full)
        let stackStack = try #require(try db.diffSkyfileInputs(diffID: 30603, skycellID: "skycell.1405.044"))
        #expect(stackStack.diffMode == 4 && stackStack.stack1State == .full && stackStack.stack2State == .full)
        #expect(stackStack.warp1State == nil && stackStack.warp2State == nil)
    }

    @Test(arguments: Driver.available)
    func aSkycellTheDiffDoesNotCoverIsNil(_ driver: Driver) throws {
        let db = try TestServer.fixtureDatabase(driver)
        #expect(try db.diffSkyfileInputs(diffID: 30602, skycellID: "skycell.1405.044") == nil)
        #expect(try db.diffSkyfileInputs(diffID: 99999, skycellID: "skycell.1405.054") == nil)
    }
}
