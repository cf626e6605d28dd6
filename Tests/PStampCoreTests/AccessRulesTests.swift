import PStampCore
import Testing

/// The access rules, without I/O.
@Suite struct AccessRulesTests {
    let vip = RequestIdentity.user("vip@example.org", source: .token)

    @Test func theEmailCountsOnlyWhenSomeoneVouchesForIt() {
        #expect(AccessRules.address(identity: .anonymous, email: "vip@example.org") == "vip@example.org")
        #expect(AccessRules.level(found: 5, defaultLevel: 1, identity: .anonymous) == 1)
        #expect(AccessRules.level(found: 0, defaultLevel: 1, identity: .anonymous) == 0, "a claim may lower")
        #expect(AccessRules.level(found: 5, defaultLevel: 1, identity: .dataStore) == 5)
        #expect(AccessRules.level(found: 5, defaultLevel: 1, identity: .operator) == 5)
        // A logged-in user's own address decides, not the EMAIL typed in the file.
        #expect(AccessRules.address(identity: vip, email: "anon@example.org") == "vip@example.org")
        #expect(AccessRules.level(found: 5, defaultLevel: 1, identity: vip) == 5)
    }

    @Test func elevatedResultsOfAUserNeedTheirOwnProduct() {
        #expect(AccessRules.needsOwnProduct(level: 2, defaultLevel: 1, identity: vip))
        #expect(!AccessRules.needsOwnProduct(level: 1, defaultLevel: 1, identity: vip))
        #expect(!AccessRules.needsOwnProduct(level: 2, defaultLevel: 1, identity: .dataStore))
        #expect(AccessRules.privateProduct(for: "vip@example.org") == "private.vip:example.org")
        let odd = AccessRules.privateProduct(for: "a b/c@example.org")
        #expect(odd.hasPrefix("private.") && DataStoreName.isValid(odd, as: .product))
        #expect(odd == AccessRules.privateProduct(for: "a b/c@example.org"), "stable")
    }

    @Test func onlyTheOwnerReadsAnOwnedProduct() {
        #expect(AccessRules.mayRead(.public, identity: .anonymous))
        #expect(!AccessRules.mayRead(.owner("vip@example.org"), identity: .anonymous))
        #expect(AccessRules.mayRead(.owner("VIP@example.org"), identity: vip))
        #expect(!AccessRules.mayRead(.owner("other@example.org"), identity: vip))
        #expect(!AccessRules.mayRead(.owner("vip@example.org"), identity: .dataStore))
        #expect(!AccessRules.mayRead(.closed, identity: vip))
    }

    @Test func theIntakeNoticeSaysWhetherTheEmailWasTaken() {
        #expect(
            AccessRules.intakeNotice(identity: .anonymous, email: "vip@example.org")
                .contains("the EMAIL vip@example.org was not taken as your identity"))
        #expect(AccessRules.intakeNotice(identity: vip, email: "vip@example.org") == "identity: token user vip@example.org")
        #expect(AccessRules.intakeNotice(identity: vip, email: "x@y").contains("not for the EMAIL x@y"))
    }
}
