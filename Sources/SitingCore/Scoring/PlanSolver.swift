/// Chooses a plan of new sites: lazy greedy on net gain (Minoux 1978), then swap refinement, under
/// the constraints, with an upper bound on the optimum.
///
/// The objective, the demand the bank captures, is monotone and submodular in the set of new sites
/// (each cell's own share `(Own + x)/(U + x)` is concave in the added utility x), so greedy reaches at
/// least 1 − 1/e of the optimal gain without constraints, and a marginal gain computed earlier is an
/// upper bound on the same candidate's gain later. Lazy greedy re-evaluates only the candidate on top
/// of the heap. Ties break by candidate order (row then column for cells, id for listed sites), so the
/// same input gives the same plan.
///
/// The bound: for any set T of k sites, F(T) ≤ F(S) + Σ of the k largest marginal gains at S. It is
/// taken before every greedy pick and after the swaps, and the smallest is reported; it ignores the
/// constraints, so it bounds the constrained optimum too.
public struct PlanSolver {
    public let candidates: [CandidateSite]
    public let surface: DemandSurface
    public private(set) var market: Market
    let constraints: PlanConstraints
    let ownPlaces: [Market.Place?]
    let ownAttractions: [Double]
    let ownPositions: [Coordinate]
    /// From this many candidates at cell centres on, the initial sweep bounds the gains by blocks of cells
    /// and computes exact gains only for the largest bounds (`Market.netGainBoundsAtCenters`); below, the
    /// exact sweep alone is as fast. Tests lower it to check both ways give the same plan.
    public var boundedSweepMinimum = 20_000

    /// - Throws: `ScoringError.invalidSiteCount` when `sites` is not between 1 and the candidates
    ///   that may be picked, or fixed sites alone exceed it.
    public init(surface: DemandSurface, market: Market, candidates: [CandidateSite], constraints: PlanConstraints,
                ownOutlets: [(position: Coordinate, kind: OutletKind)], converter: CoordinateConverter) throws(ScoringError) {
        // Ids are compared only when the planner named some (a cell's id is made on demand).
        let named = !constraints.fixedIDs.isEmpty || !constraints.excludedIDs.isEmpty
        // Counted in place: `filter` would copy millions of candidates only to count them.
        var eligible = 0, fixedCount = 0
        candidates.withUnsafeBufferPointer { candidates in
            for index in candidates.indices {
                let status = candidates[index].status
                if status != .excluded && !(named && constraints.excludedIDs.contains(candidates[index].id)) { eligible += 1 }
                if status == .fixed || (named && constraints.fixedIDs.contains(candidates[index].id)) { fixedCount += 1 }
            }
        }
        guard constraints.sites >= 1, constraints.sites <= eligible else {
            throw .invalidSiteCount(requested: constraints.sites, candidates: eligible)
        }
        for (name, value) in [("min-spacing-own-meters", constraints.minimumSpacingToOwnMeters),
                              ("min-spacing-meters", constraints.minimumSpacingBetweenPicksMeters)]
        where !(value.isFinite && value >= 0 && value <= HuffModel.maximumCutoffMeters) {
            throw .invalidParameter(name: name, reason: "\(value) is out of range: use 0 to \(Int(HuffModel.maximumCutoffMeters)) m")
        }
        if let (adcode, cap) = constraints.regionCaps.first(where: { $0.value < 0 }) {
            throw .invalidParameter(name: "region-cap", reason: "the cap of \(adcode) is \(cap): use 0 or more")
        }
        if named {
            let known = Set(candidates.map(\.id))
            if let unknown = constraints.fixedIDs.union(constraints.excludedIDs).sorted().first(where: { !known.contains($0) }) {
                throw .invalidParameter(name: "fixed/exclude", reason: "no candidate has the id \(unknown)")
            }
        }
        guard fixedCount <= constraints.sites else {
            throw .invalidParameter(name: "fixed", reason: "\(fixedCount) fixed sites are more than the \(constraints.sites) sites asked for")
        }
        self.candidates = candidates
        self.surface = surface
        self.market = market
        self.constraints = constraints
        self.ownPlaces = try Market.places(ownOutlets.map(\.position), grid: market.grid, reachMeters: market.model.cutoffMeters,
                                           converter: converter)
        self.ownAttractions = ownOutlets.map { market.model.ownAttractiveness[$0.kind] ?? 0 }
        self.ownPositions = ownOutlets.map(\.position)
    }

    /// Runs the greedy phase and the swaps; `progress` is called with the fraction done (0…1).
    public mutating func solve(progress: (Double) -> Void = { _ in }) -> Plan {
        let n = candidates.count
        // Places are made when needed: a stored array would cost 40 bytes a candidate.
        let grid = market.grid
        let earthCentered = market.earthCentered
        func place(_ index: Int) -> Market.Place { Market.place(of: candidates[index], grid: grid, earthCentered: earthCentered) }
        let baseMarket = market
        let objectiveBefore = market.ownCapture
        let captureBefore = market.capture(of: ownPlaces, attractions: ownAttractions)
        var evaluations = 0

        // Feasibility that does not change: status, and distance to own outlets.
        var allowed = [Bool](repeating: true, count: n)
        var fixed: [Int] = []
        let named = !constraints.fixedIDs.isEmpty || !constraints.excludedIDs.isEmpty
        candidates.withUnsafeBufferPointer { candidates in
            for index in candidates.indices {
                let status = candidates[index].status
                if status == .excluded || (named && constraints.excludedIDs.contains(candidates[index].id)) { allowed[index] = false }
                if status == .fixed || (named && constraints.fixedIDs.contains(candidates[index].id)) { fixed.append(index) }
            }
        }
        if constraints.minimumSpacingToOwnMeters > 0, !ownPositions.isEmpty,
           let index = try? GridIndex(positions: ownPositions) {
            for candidate in 0..<n where allowed[candidate] {
                let spacing = constraints.minimumSpacingToOwnMeters
                if let nearest = (try? index.nearest(to: candidates[candidate].position, count: 1, maximumDistanceMeters: spacing))?.first,
                   nearest.distanceMeters < spacing {
                    allowed[candidate] = false
                }
            }
        }
        var picks: [Int] = []
        var inPlan = [Bool](repeating: false, count: n)
        var capCount: [String: Int] = [:]

        func feasible(_ index: Int) -> Bool {
            guard allowed[index], !inPlan[index] else { return false }
            let zone = surface.zones[Int(surface.grid.cells[candidates[index].cell].zone)]
            for adcode in zone.adcodes { if let cap = constraints.regionCaps[adcode], capCount[adcode, default: 0] >= cap { return false } }
            if constraints.minimumSpacingBetweenPicksMeters > 0 {
                for pick in picks where EllipsoidalDistance.meters(from: candidates[pick].position, to: candidates[index].position)
                    < constraints.minimumSpacingBetweenPicksMeters { return false }
            }
            return true
        }
        // The objective, kept up to date by each change's marginal gain.
        var objective = objectiveBefore
        func add(_ index: Int) {
            objective += market.netGain(at: place(index))
            market.open(at: place(index))
            picks.append(index)
            inPlan[index] = true
            let zone = surface.zones[Int(surface.grid.cells[candidates[index].cell].zone)]
            for adcode in zone.adcodes where constraints.regionCaps[adcode] != nil { capCount[adcode, default: 0] += 1 }
        }
        func remove(at slot: Int) {
            let index = picks.remove(at: slot)
            market.open(at: place(index), sign: -1)
            objective -= market.netGain(at: place(index))
            inPlan[index] = false
            let zone = surface.zones[Int(surface.grid.cells[candidates[index].cell].zone)]
            for adcode in zone.adcodes where constraints.regionCaps[adcode] != nil { capCount[adcode, default: 0] -= 1 }
        }

        for index in fixed { add(index) }
        let free = constraints.sites - fixed.count

        // Initial gains: upper bounds on every later gain. A stamp other than the version marks a value
        // that is only a bound, to be evaluated when it reaches the top.
        var value = [Double](repeating: 0, count: n)
        var stamp = [Int32](repeating: 0, count: n)
        let atCenters = (0..<n).filter { !inPlan[$0] && candidates[$0].position == surface.grid.cells[candidates[$0].cell].center }
        if atCenters.count == n - fixed.count, zip(atCenters, atCenters.dropFirst()).allSatisfy({ candidates[$0].cell < candidates[$1].cell }) {
            let cells = atCenters.map { candidates[$0].cell }
            if cells.count >= boundedSweepMinimum, let bounds = market.netGainBoundsAtCenters(of: cells) {
                // Bounds for all, exact gains for the largest bounds: greedy reaches no others unless
                // gains fall that far, and then evaluates them on the way.
                let step = max(1, bounds.count / 16_384)
                let sample = stride(from: 0, to: bounds.count, by: step).map { bounds[$0] }.sorted(by: >)
                let threshold = sample[min(sample.count - 1, max(sample.count / 256, 4 * constraints.sites / step))]
                let chosen = bounds.indices.filter { bounds[$0] >= threshold }
                let gains = market.netGainsAtCenters(of: chosen.map { cells[$0] })
                for (slot, bound) in bounds.enumerated() {
                    value[atCenters[slot]] = bound
                    stamp[atCenters[slot]] = -1
                }
                for (slot, gain) in zip(chosen, gains) {
                    value[atCenters[slot]] = gain
                    stamp[atCenters[slot]] = 0
                }
            } else {
                let gains = market.netGainsAtCenters(of: cells)
                for (index, gain) in zip(atCenters, gains) { value[index] = gain }
            }
        } else {
            for index in 0..<n where !inPlan[index] {
                value[index] = market.netGain(at: place(index))
                if index % 4096 == 0 { progress(0.5 * Double(index) / Double(max(1, n))) }
            }
        }
        progress(0.5)
        evaluations += n
        var version: Int32 = 0
        var heap = GainHeap(values: value, excluding: inPlan)
        var upperBound = Double.infinity
        var seenInProbe = [Int32](repeating: 0, count: n)
        var probes: Int32 = 0

        /// Brings the `free` largest gains at the current plan up to date (they bound the optimum) and
        /// finds the best feasible candidate; everything popped goes back on the heap.
        func probe() -> Int? {
            var popped: [Int] = []
            var fresh = 0
            var sum = 0.0
            var best: Int?
            probes += 1
            while let (top, key) = heap.popMax() {
                // Entries left behind by a later update of the same candidate, or seen already.
                if inPlan[top] || key != value[top] || seenInProbe[top] == probes { continue }
                if stamp[top] != version {
                    value[top] = market.netGain(at: place(top))
                    stamp[top] = version
                    evaluations += 1
                    heap.push(top, value: value[top])
                    continue
                }
                popped.append(top)
                seenInProbe[top] = probes
                if fresh < free { sum += value[top]; fresh += 1 }
                if best == nil, feasible(top) { best = top }
                if best != nil, fresh >= free { break }
            }
            if fresh >= free || heap.isEmpty { upperBound = min(upperBound, objective + sum) }
            for index in popped { heap.push(index, value: value[index]) }
            return best
        }

        // Lazy greedy.
        while picks.count < constraints.sites, let best = probe() {
            add(best)
            version += 1
            progress(0.5 + 0.3 * Double(picks.count - fixed.count) / Double(max(1, free)))
        }

        // Swap refinement: take each free pick out and put the best feasible site in its place.
        var swaps = 0
        let isFixed = Set(fixed)
        let byCell = CandidatesByCell(candidates, cellCount: surface.grid.cells.count)
        for _ in 0..<constraints.swapRounds {
            var improved = false
            for slot in picks.indices where !isFixed.contains(picks[slot]) {
                let current = picks[slot]
                remove(at: slot)
                version += 1
                // Gains near the removed site may have grown: evaluate them now (the rest keep valid bounds).
                // A listed site may sit anywhere in its cell: half a cell diagonal more.
                let radius = max(2 * market.model.cutoffMeters, constraints.minimumSpacingBetweenPicksMeters)
                    + market.grid.cellSizeMeters * 0.75
                market.forEachCell(near: place(current), within: radius) { cell, _ in
                    for neighbour in byCell.candidates(in: cell) where !inPlan[neighbour] {
                        value[neighbour] = market.netGain(at: place(neighbour))
                        stamp[neighbour] = version
                        evaluations += 1
                        heap.push(neighbour, value: value[neighbour])
                    }
                }
                let currentGain = value[current]
                let best = probe() ?? current
                let tolerance = 1e-9 * max(1, currentGain)
                let chosen = best != current && value[best] > currentGain + tolerance ? best : current
                add(chosen)
                picks.insert(picks.removeLast(), at: slot)
                if chosen != current {
                    swaps += 1
                    improved = true
                }
                version += 1
            }
            progress(0.9)
            if !improved { break }
        }
        _ = probe()

        // The report, in greedy order of the final sites: each pick's effect given the earlier ones,
        // replayed on the market before the plan.
        var replay = baseMarket
        var reported: [Plan.Pick] = []
        var remaining = fixed + picks.filter { !isFixed.contains($0) }
        while !remaining.isEmpty {
            var slot = 0
            if !isFixed.contains(remaining[0]) {
                var bestGain = -Double.infinity
                for (position, index) in remaining.enumerated() {
                    let gain = replay.netGain(at: place(index))
                    if gain > bestGain { bestGain = gain; slot = position }
                }
            }
            let index = remaining.remove(at: slot)
            let (capture, newlyCovered) = replay.breakdown(at: place(index))
            let candidate = candidates[index]
            reported.append(Plan.Pick(candidate: candidate, zone: surface.zones[Int(surface.grid.cells[candidate.cell].zone)],
                                      capture: capture, newlyCoveredPopulation: newlyCovered,
                                      cellPopulation: surface.population[candidate.cell], cellDemand: surface.demand[candidate.cell],
                                      fixed: isFixed.contains(index)))
            replay.open(at: place(index))
        }
        objective = market.ownCapture
        let captureAfter = market.capture(of: ownPlaces, attractions: ownAttractions)
        let losses = zip(captureBefore, captureAfter).enumerated().compactMap { index, pair -> Plan.OutletLoss? in
            let lost = pair.0 - pair.1
            return lost > 1e-9 ? Plan.OutletLoss(index: index, captureBefore: pair.0, demandLost: lost) : nil
        }.sorted { $0.demandLost != $1.demandLost ? $0.demandLost > $1.demandLost : $0.index < $1.index }
        progress(1)
        return Plan(picks: reported, objectiveBefore: objectiveBefore, objective: objective,
                    upperBound: max(upperBound, objective), outletLosses: losses, swaps: swaps,
                    evaluations: evaluations, candidateCount: n)
    }
}

/// Candidate indices by the cell they lie in.
struct CandidatesByCell {
    private let start: [Int32]
    private let members: [Int32]

    init(_ candidates: [CandidateSite], cellCount: Int) {
        var start = [Int32](repeating: 0, count: cellCount + 1)
        var members = [Int32](repeating: 0, count: candidates.count)
        // Through a buffer: iterating the array would copy every candidate.
        candidates.withUnsafeBufferPointer { candidates in
            for index in candidates.indices { start[candidates[index].cell + 1] += 1 }
            for cell in 0..<cellCount { start[cell + 1] += start[cell] }
            var next = start
            for index in candidates.indices {
                let cell = candidates[index].cell
                members[Int(next[cell])] = Int32(index)
                next[cell] += 1
            }
        }
        self.start = start
        self.members = members
    }

    func candidates(in cell: Int) -> some Sequence<Int> {
        members[Int(start[cell])..<Int(start[cell + 1])].lazy.map { Int($0) }
    }
}

/// A binary max-heap of candidate indices keyed by gain; equal gains come out lowest index first.
///
/// Only the largest initial gains are heaped at first; the others wait in a reserve, all below
/// `threshold`, and are heaped (the next largest share) when the top of the heap falls below it. The
/// top is therefore always the largest of all, and millions of candidates of which greedy looks at a
/// few thousand are not sorted.
struct GainHeap {
    private var items: [(value: Double, index: Int32)] = []
    private var reserve: [(value: Double, index: Int32)] = []
    /// Every reserve entry's value is below it (−∞ once the reserve is empty).
    private var threshold = -Double.infinity

    /// The heap of `values[i]` for every i where `excluding[i]` is false.
    init(values: [Double], excluding: [Bool]) {
        let count = values.count
        let present = excluding.lazy.filter { !$0 }.count
        if present > 1 << 16 {
            // About 1/64 of the entries at or above the threshold, from a sample.
            let step = max(1, count / 8192)
            var sample: [Double] = []
            for index in stride(from: 0, to: count, by: step) where !excluding[index] { sample.append(values[index]) }
            sample.sort(by: >)
            threshold = sample[min(sample.count - 1, sample.count / 64)]
            if !threshold.isFinite { threshold = -.infinity }
            items.reserveCapacity(2 * present / 64 + 1024)
            reserve.reserveCapacity(present)
            for index in 0..<count where !excluding[index] {
                if values[index] >= threshold { items.append((values[index], Int32(index))) } else { reserve.append((values[index], Int32(index))) }
            }
            if reserve.isEmpty { threshold = -.infinity }
        } else {
            items = (0..<count).filter { !excluding[$0] }.map { (values[$0], Int32($0)) }
        }
        heapify()
    }

    private mutating func heapify() {
        guard items.count > 1 else { return }
        for start in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(start) }
    }

    /// Moves the next largest share of the reserve to the heap.
    private mutating func refill() {
        if reserve.count <= 1 << 16 {
            for entry in reserve { push(entry) }
            reserve = []
            threshold = -.infinity
            return
        }
        let step = max(1, reserve.count / 8192)
        var sample = stride(from: 0, to: reserve.count, by: step).map { reserve[$0].value }
        sample.sort(by: >)
        let share = sample[min(sample.count - 1, sample.count / 16)]
        let next = share.isFinite ? share : -.infinity
        var kept = 0
        for position in reserve.indices {
            let entry = reserve[position]
            if entry.value >= next { push(entry) } else { reserve[kept] = entry; kept += 1 }
        }
        reserve.removeLast(reserve.count - kept)
        threshold = reserve.isEmpty ? -.infinity : next
    }

    private func above(_ a: (value: Double, index: Int32), _ b: (value: Double, index: Int32)) -> Bool {
        a.value != b.value ? a.value > b.value : a.index < b.index
    }

    mutating func push(_ index: Int, value: Double) {
        push((value, Int32(index)))
    }

    private mutating func push(_ entry: (value: Double, index: Int32)) {
        items.append(entry)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard above(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    var isEmpty: Bool { items.isEmpty && reserve.isEmpty }

    /// The top candidate and the gain it was pushed with.
    mutating func popMax() -> (index: Int, value: Double)? {
        while !reserve.isEmpty, items.first.map({ $0.value < threshold }) ?? true { refill() }
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown(0)
        }
        return (Int(first.index), first.value)
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < items.count, above(items[left], items[best]) { best = left }
            if right < items.count, above(items[right], items[best]) { best = right }
            guard best != parent else { return }
            items.swapAt(parent, best)
            parent = best
        }
    }
}
