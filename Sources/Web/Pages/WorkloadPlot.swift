import Foundation
import RequestDB

/// The workload page's plot, drawn on the server as SVG: jobs finished per hour (bars) and the queue of
/// unfinished requests at each hour's end (a line) over the last day, each on its own scale.
enum WorkloadPlot {
    static let width = 720.0, height = 240.0
    static let left = 44.0, right = 44.0, top = 16.0, bottom = 28.0

    static func svg(_ hours: [WorkloadSummary.HourOfWork]) -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maxJobs = max(1, hours.map(\.finishedJobs).max() ?? 1), maxQueue = max(1, hours.map(\.queue).max() ?? 1)
        let step = plotWidth / Double(max(1, hours.count))
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = """
            <svg class="plot" id="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(f(width)) \(f(height))" role="img" \
            aria-label="jobs finished per hour and requests queued over the last 24 hours">
            <rect x="\(f(left))" y="\(f(top))" width="\(f(plotWidth))" height="\(f(plotHeight))" fill="#fafbfc" stroke="#d9dee7"/>

            """
        for (i, hour) in hours.enumerated() {
            let h = plotHeight * Double(hour.finishedJobs) / Double(maxJobs)
            let x = left + Double(i) * step
            out +=
                "<rect class=\"bar\" x=\"\(f(x + 1))\" y=\"\(f(top + plotHeight - h))\" width=\"\(f(step - 2))\" height=\"\(f(h))\" fill=\"#7fb27f\">"
            out +=
                "<title>\(PageTime.text(hour.start)): \(hour.finishedJobs) jobs, \(hour.finishedRequests) requests finished; \(hour.queue) queued</title></rect>\n"
            if i % 6 == 0 {
                out +=
                    "<text x=\"\(f(x))\" y=\"\(f(height - 8))\" font-size=\"11\" fill=\"#5b6474\">\(PageTime.text(hour.start).dropFirst(11).prefix(5))</text>\n"
            }
        }
        let points = hours.enumerated().map { i, hour in
            "\(f(left + (Double(i) + 0.5) * step)),\(f(top + plotHeight - plotHeight * Double(hour.queue) / Double(maxQueue)))"
        }
        out +=
            "<polyline class=\"queue\" points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
        out += "<text x=\"4\" y=\"\(f(top + 10))\" font-size=\"11\" fill=\"#2e7d32\">\(maxJobs) jobs/h</text>\n"
        out +=
            "<text x=\"\(f(width - 4))\" y=\"\(f(top + 10))\" font-size=\"11\" fill=\"#1f5fa8\" text-anchor=\"end\">\(maxQueue) queued</text>\n"
        out += "<text x=\"\(f(width - 4))\" y=\"\(f(height - 8))\" font-size=\"11\" fill=\"#5b6474\" text-anchor=\"end\">UTC</text>\n"
        return out + "</svg>"
    }
}
