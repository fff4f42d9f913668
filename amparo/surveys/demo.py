"""The demo needs survey, modelled on the coalition's: protection needs, digital-security
skills, access to ICTs and the support wanted, in four languages. Used by `load_demo_survey`
and the tests. Answering "no" to the organisation question skips the organisation page."""

from __future__ import annotations

from .spec import ChoiceSpec, QuestionSpec, SectionSpec, SurveySpec


def L(en: str, es: str, fr: str, pt: str) -> dict[str, str]:  # noqa: N802 - a label in four languages, read as a word
    return {"en": en, "es": es, "fr": fr, "pt": pt}


def _choices(*items: tuple[str, dict[str, str]]) -> list[ChoiceSpec]:
    return [ChoiceSpec(name, label) for name, label in items]


YES_NO = _choices(("yes", L("Yes", "Sí", "Oui", "Sim")), ("no", L("No", "No", "Non", "Não")))


def needs_survey() -> SurveySpec:
    about = SectionSpec("about", L("About you", "Sobre usted", "À propos de vous", "Sobre você"), questions=[
        QuestionSpec("country", "country", L("Where do you work?", "¿Dónde trabaja?", "Où travaillez-vous ?",
                                             "Onde você trabalha?"), required=True),
        QuestionSpec("region", "subdivision", L("In which region?", "¿En qué región?", "Dans quelle région ?",
                                                "Em qual região?")),
        QuestionSpec("in_org", "single", L("Are you part of an organisation?", "¿Forma parte de una organización?",
                                           "Faites-vous partie d'une organisation ?",
                                           "Você faz parte de uma organização?"), required=True, choices=YES_NO),
    ])
    protection = SectionSpec("protection", L("Protection", "Protección", "Protection", "Proteção"), questions=[
        QuestionSpec("threats", "multiple", L("What have you faced in the last year?",
                                              "¿Qué ha enfrentado en el último año?",
                                              "Qu'avez-vous subi l'année dernière ?",
                                              "O que você enfrentou no último ano?"), required=True,
                     hint=L("Tick all that apply", "Marque todo lo que corresponda", "Cochez tout ce qui s'applique",
                            "Marque tudo o que se aplica"),
                     choices=_choices(
                         ("online", L("Online harassment", "Acoso en línea", "Harcèlement en ligne", "Assédio online")),
                         ("physical", L("Physical attack", "Ataque físico", "Agression physique", "Ataque físico")),
                         ("legal", L("Criminalisation", "Criminalización", "Criminalisation", "Criminalização")),
                         ("surveillance", L("Surveillance", "Vigilancia", "Surveillance", "Vigilância")),
                         ("none", L("None of these", "Nada de esto", "Rien de cela", "Nada disso")))),
        QuestionSpec("last_attack", "date", L("When was the last physical attack?",
                                              "¿Cuándo fue el último ataque físico?",
                                              "Quand a eu lieu la dernière agression physique ?",
                                              "Quando foi o último ataque físico?"),
                     show_if_question="threats", show_if_value="physical"),
        QuestionSpec("safety", "scale", L("How safe do you feel? (1: not at all, 5: fully)",
                                          "¿Qué tan segura se siente? (1: nada, 5: del todo)",
                                          "À quel point vous sentez-vous en sécurité ? "
                                          "(1 : pas du tout, 5 : tout à fait)",
                                          "Quão segura você se sente? (1: nada, 5: totalmente)"), required=True),
    ])
    organisation = SectionSpec("organisation", L("Your organisation", "Su organización", "Votre organisation",
                                                 "Sua organização"), "in_org", "yes", questions=[
        QuestionSpec("org_size", "number", L("How many people work in it?", "¿Cuántas personas trabajan en ella?",
                                             "Combien de personnes y travaillent ?",
                                             "Quantas pessoas trabalham nela?")),
        QuestionSpec("training", "single", L("Has it had digital-security training?",
                                             "¿Ha tenido formación en seguridad digital?",
                                             "A-t-elle eu une formation en sécurité numérique ?",
                                             "Ela teve formação em segurança digital?"), choices=YES_NO),
    ])
    needs = SectionSpec("needs", L("What you need", "Lo que necesita", "Ce dont vous avez besoin",
                                   "O que você precisa"), questions=[
        QuestionSpec("devices", "multiple", L("What do you use to go online?", "¿Qué usa para conectarse?",
                                              "Qu'utilisez-vous pour aller en ligne ?",
                                              "O que você usa para acessar a internet?"),
                     choices=_choices(
                         ("own_phone", L("My own phone", "Mi propio teléfono", "Mon propre téléphone",
                                         "Meu próprio celular")),
                         ("shared", L("A shared device", "Un aparato compartido", "Un appareil partagé",
                                      "Um aparelho compartilhado")),
                         ("computer", L("A computer", "Una computadora", "Un ordinateur", "Um computador")))),
        QuestionSpec("skills", "single", L("Your digital-security skills", "Sus habilidades en seguridad digital",
                                           "Vos compétences en sécurité numérique",
                                           "Suas habilidades em segurança digital"),
                     choices=_choices(("none", L("None", "Ninguna", "Aucune", "Nenhuma")),
                                      ("basic", L("Basic", "Básicas", "De base", "Básicas")),
                                      ("advanced", L("Advanced", "Avanzadas", "Avancées", "Avançadas")))),
        QuestionSpec("support", "multiple", L("What support do you want?", "¿Qué apoyo desea?",
                                              "Quel soutien souhaitez-vous ?", "Que apoio você deseja?"),
                     required=True,
                     choices=_choices(
                         ("funds", L("Emergency funds", "Fondos de emergencia", "Fonds d'urgence",
                                     "Fundos de emergência")),
                         ("relocation", L("Temporary relocation", "Reubicación temporal", "Relocalisation temporaire",
                                          "Realocação temporária")),
                         ("digital", L("Digital-security help", "Ayuda en seguridad digital",
                                       "Aide en sécurité numérique", "Ajuda em segurança digital")),
                         ("care", L("Psychosocial care", "Atención psicosocial", "Soutien psychosocial",
                                    "Cuidado psicossocial")))),
        QuestionSpec("anything_else", "text", L("Anything else you want us to know?", "¿Algo más que quiera contarnos?",
                                                "Autre chose à nous dire ?", "Algo mais que você queira nos contar?")),
    ])
    return SurveySpec("whrd_needs", L("Needs of women human rights defenders",
                                      "Necesidades de las defensoras de derechos humanos",
                                      "Besoins des défenseures des droits humains",
                                      "Necessidades das defensoras de direitos humanos"),
                      "en", ["en", "es", "fr", "pt"], [about, protection, organisation, needs])
