from diurna import ontology


def test_every_plover_type_has_a_quad_and_a_default_cameo_code():
    assert len(ontology.EVENT_TYPES) == 16
    for event_type in ontology.EVENT_TYPES:
        assert ontology.quad(event_type) in (1, 2, 3, 4)
        assert ontology.DEFAULT_CAMEO[event_type] in ontology.cameo_codes()


def test_quad_classes_follow_design():
    assert [ontology.quad(t) for t in ("AGREE", "AID", "ACCUSE", "ASSAULT", "SANCTION")] == [1, 2, 3, 4, 4]


def test_goldstein_values_come_from_the_cameo_scale():
    assert ontology.goldstein("042") == 1.9
    assert ontology.goldstein("195") == -10.0


def test_goldstein_of_a_code_without_value_falls_back_to_its_parent():
    assert ontology.cameo_codes()["1012"].goldstein is None
    assert ontology.goldstein("1012") == ontology.goldstein("101")


def test_cameo_to_plover_keeps_both_readings_of_yield():
    events = {m.event for m in ontology.cameo_to_plover()["08"]}
    assert events == {"CONCEDE", "RETREAT"}


def test_contexts_come_from_the_published_table():
    assert ontology.contexts("0871") == ("military",)
