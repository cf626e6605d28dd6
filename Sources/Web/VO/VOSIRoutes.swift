import Foundation
import Hummingbird
import HummingbirdAuth
import PStampCore
import RequestDB

/// The VOSI resources of every VO service (`capabilities`, `availability`) under `/vo`, and under
/// each service's own path (`/sia`, `/soda`, `/datalink`), where clients such as pyvo look for them;
/// and the registry record at `/vo/registry`, the VOResource an observatory publishes.
struct VOSIRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let database: RequestDatabase
    let site: VOSite

    func register(on router: Router<Context>) {
        for prefix in ["vo", "sia", "soda", "datalink"] {
            router.get("\(prefix)/capabilities") { request, _ in
                VOExchange.xml(VOSI.capabilitiesXML(VOSI.capabilities(baseURL: VOExchange.baseURL(request, site: self.site))))
            }
            router.get("\(prefix)/availability") { _, _ in self.availability() }
        }
        router.get("vo/registry") { request, _ in
            let base = VOExchange.baseURL(request, site: self.site)
            let record = VORegistryRecord(
                authority: self.site.authority, title: self.site.title, shortName: "PStamp", publisher: self.site.publisher,
                contactName: self.site.contactName, contactEmail: self.site.contactEmail,
                description: "Postage stamps (cut-outs) of the survey images of this site: SIA 2 discovery, SODA cut-outs "
                    + "(sync, and async over UWS), DataLink. Cleaned images are restored before they are cut.",
                referenceURL: base + "/", created: self.site.upSince, updated: self.site.upSince,
                capabilities: VOSI.capabilities(baseURL: base))
            return VOExchange.xml(record.xml)
        }
    }

    /// Available when the request database answers (the pipeline may still be busy).
    func availability() -> Response {
        do {
            try database.checkReadable()
            return VOExchange.xml(VOSI.availabilityXML(available: true, upSince: site.upSince))
        } catch {
            return VOExchange.xml(
                VOSI.availabilityXML(available: false, upSince: site.upSince, notes: ["the request database does not answer: \(error)"]))
        }
    }
}
