import SitingCore
import SitingMap
import Testing

@Test func emptyMapGivesADocument() {
    #expect(PlanMap(title: "empty").svg().contains("<svg"))
}
