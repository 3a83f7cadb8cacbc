"""The ten demo pilots (P1-P10 of the product scenarios), as a team would enter them.

Every number comes from the scenario sheet (shared context, demo-pilots.md). Organisations,
places and people are fictional; people appear by role only. The loader
(``testlearn.services.demo``) enters each pilot through the ordinary services: the pilot, its
procurements and KPIs, comparators and hypotheses, the registration (dated before any outcome
data were collected), one recorded deviation, the outcome aggregates, costs, lessons and the
decision. No results are stored here: the analysis engine computes them from the aggregates.

Units of the benefit threshold and harm margin follow the analysis engine: a fraction for
proportions (0.043 is 4.3 percentage points), per cent of change in the rate for counts, and
outcome units for means.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def _when(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=dt.UTC)


def _successes(share: float, n: int) -> int:
    """Whole successes from a stated percentage of n (58.9% of 46,200 is 27,212)."""
    return round(share * n)


# --------------------------------------------------------------------------------------------
# P1  AI-assisted triage of elective outpatient referrals (DHSC with NHS England)
# --------------------------------------------------------------------------------------------
P1: dict[str, Any] = {
    "pilot": {
        "reference": "DHSC-TL-001",
        "title": "AI-assisted triage of elective outpatient referrals",
        "lead_organisation": "Department of Health and Social Care",
        "partner_organisations": ["NHS England", "Six pilot NHS acute trusts"],
        "team": "Elective Recovery Test and Learn Team",
        "senior_responsible_owner": "Director, Elective Recovery",
        "minister": "Minister of State for Health (Secondary Care)",
        "primary_mission": "NHS",
        "secondary_missions": [],
        "milestones": ["ELECTIVE_18_WEEKS"],
        "problem_statement": (
            "Only 59% of elective pathways at the six pilot trusts were completed within 18 "
            "weeks, against the milestone of 92%. Consultants spend a median of 11 days "
            "clearing referral triage queues, and about one referral in five is sent to the "
            "wrong clinic or could have been managed with advice and guidance, so patients "
            "wait for the wrong appointment."
        ),
        "toc_inputs": (
            "A contracted AI triage service integrated with the e-Referral Service, clinical "
            "safety officers at each trust and a consultant lead per specialty."
        ),
        "toc_activities": (
            "The tool reads each referral letter, proposes a clinic, urgency and advice-and-"
            "guidance option, and a consultant accepts or overrides it."
        ),
        "toc_outputs": (
            "Referrals triaged within one working day; fewer referrals redirected after first "
            "appointment."
        ),
        "toc_outcomes": (
            "More patients reach the right clinic first time, so a larger share of pathways "
            "are completed within 18 weeks."
        ),
        "toc_impact": "Progress towards 92% of elective patients treated within 18 weeks.",
        "toc_assumptions": (
            "Consultants trust the recommendations enough to act on them, and the time saved "
            "in triage is converted into clinic capacity."
        ),
        "toc_riskiest_assumption": (
            "That faster triage frees outpatient capacity rather than simply moving the queue "
            "from triage to the first appointment."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 3, 3),
        "end_date": dt.date(2026, 5, 29),
        "budget": 2_950_000.0,
        "spend": 2_780_000.0,
        "national_rollout_cost": 42_000_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process", "value_for_money"],
        "evaluation_design": "difference_in_differences",
        "delivery_summary": (
            "The tool went live at all six trusts in June 2025 after a two-month clinical "
            "safety sign-off and passed the six-month break point in December. It triaged "
            "about 1,350 referrals a working day, but consultants overrode 14% of its "
            "recommendations and overrides were not audited, so the trusts could not tell "
            "good overrides from defensive ones."
        ),
    },
    "procurements": [
        {
            "name": "AI referral triage: six-month paid pilot with option to extend",
            "route": "pa23_competitive_flexible",
            "contract_value": 2_400_000.0,
            "supplier": "Northgate Clinical AI Ltd",
            "bidders": 7,
            "engagement_methods": ["industry_day", "one_to_one", "questionnaire"],
            "suppliers_engaged": 14,
            "smes_engaged": 9,
            "engagement_changes": (
                "One-to-one sessions showed that most suppliers could not integrate with the "
                "e-Referral Service within three months, so the procedure was split into two "
                "stages: a six-month paid pilot with a break clause, then an option to extend."
            ),
            "payment_mechanism": "milestone",
            "should_cost": 2_250_000.0,
            "winning_bid": 2_400_000.0,
            "outturn_cost": 2_400_000.0,
            "contract_manager": "Commercial Lead, Digital Health Contracts",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
            "break_clause": "At six months, on the clinical safety review and KPI report",
            "contract_start": dt.date(2025, 6, 2),
            "contract_end": dt.date(2026, 5, 29),
            "kpis": [
                {
                    "name": "Referrals processed per day",
                    "description": "Referrals triaged by the tool per working day, all six trusts",
                    "level": "output",
                    "mission_alignment": "weak",
                    "mission": "NHS",
                    "target": "1,200 referrals per working day",
                    "published": False,
                    "ratings": [
                        {
                            "year": "2025-26",
                            "rating": "good",
                            "note": "About 1,350 a day from August 2025, while 18-week "
                            "performance barely moved",
                        }
                    ],
                },
                {
                    "name": "Consultant agreement with the recommended clinic",
                    "description": "Share of recommendations accepted without override",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "NHS",
                    "target": "At least 90% accepted",
                    "published": False,
                    "ratings": [
                        {
                            "year": "2025-26",
                            "rating": "approaching",
                            "note": "86% accepted; overrides not audited",
                        }
                    ],
                },
                {
                    "name": "Pathways completed within 18 weeks at pilot trusts",
                    "description": "Referral-to-treatment performance, pilot trusts combined",
                    "level": "outcome",
                    "mission_alignment": "strong",
                    "mission": "NHS",
                    "target": "65% by March 2026",
                    "published": False,
                    "ratings": [
                        {
                            "year": "2025-26",
                            "rating": "approaching",
                            "note": "63.4% in the pilot period",
                        }
                    ],
                },
            ],
        },
        {
            "name": "AI referral triage scale-up: 20 further trusts, with override audit",
            "route": "pa23_competitive_flexible",
            "contract_value": 7_200_000.0,
            "pipeline_year": "2026-27",
            "payment_mechanism": "milestone",
            "contract_manager": "Commercial Lead, Digital Health Contracts",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "matched-trusts",
            "name": "Six matched comparison trusts",
            "kind": "matched_comparison",
            "description": (
                "Six acute trusts matched on size, case mix, baseline 18-week performance and "
                "region, using their usual consultant triage."
            ),
            "rationale": (
                "Trusts volunteered for the pilot, so a before-after comparison would confuse "
                "the tool with the national recovery trend; matched trusts carry that trend."
            ),
            "baseline_value": 0.596,
            "baseline_period": "April 2024 to March 2025",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "AI-assisted triage increases the share of elective pathways completed within "
                "18 weeks at pilot trusts, relative to matched trusts."
            ),
            "role": "primary",
            "comparator": "matched-trusts",
            "outcome_name": "pathways completed within 18 weeks",
            "outcome_unit": "share of completed pathways",
            "outcome_type": "binary",
            "direction": "increase",
            "design": "did",
            "benefit_threshold": 0.03,
            "harm_margin": 0.01,
            "alpha": 0.05,
            "planned_n_pilot": 50_000,
            "planned_n_comparator": 50_000,
            "clustered_design": True,
            "planned_clusters_per_arm": 6,
            "icc": 0.02,
            "baseline_value": 0.59,
            "evidence_level": 3,
            "pilot_label": "pilot trusts",
            "comparator_label": "matched trusts",
            "analysis_plan": (
                "Difference-in-differences on completed pathways, a year before go-live "
                "against the pilot year, with the trust as the cluster; a loss of more than "
                "one point would be treated as harm."
            ),
            "data": {
                "source_name": "DHSC-TL-001-H1-aggregates.csv",
                "rows": [
                    {
                        "arm": "pilot",
                        "period": "before",
                        "n": 46_200,
                        "successes": _successes(0.589, 46_200),
                        "clusters": 6,
                    },
                    {
                        "arm": "pilot",
                        "period": "after",
                        "n": 48_100,
                        "successes": _successes(0.634, 48_100),
                        "clusters": 6,
                    },
                    {
                        "arm": "comparator",
                        "period": "before",
                        "n": 51_300,
                        "successes": _successes(0.596, 51_300),
                        "clusters": 6,
                    },
                    {
                        "arm": "comparator",
                        "period": "after",
                        "n": 52_700,
                        "successes": _successes(0.610, 52_700),
                        "clusters": 6,
                    },
                ],
            },
        },
    ],
    "registered_at": _when(2025, 5, 19),
    "deviations": [
        {
            "hypothesis": "H1",
            "field": "planned_n_pilot",
            "value": 46_000,
            "reason": (
                "One pilot trust moved its ophthalmology pathways to an independent-sector "
                "provider in May 2025, before go-live; the planned pilot pathways per period "
                "fall from 50,000 to 46,000. Recorded before any pilot-period data were seen."
            ),
        },
    ],
    "costs": [
        {
            "category": "delivery",
            "description": "Triage service contract, both stages",
            "amount": 2_400_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Competitive flexible procedure and PME",
            "amount": 80_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Independent evaluation partner",
            "amount": 180_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "staff",
            "description": "Clinical safety officers and project lead",
            "amount": 120_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "contract_and_kpi_design",
            "what_happened": (
                "The only KPI rated Good was an output (referrals processed per day) while "
                "18-week performance barely moved."
            ),
            "went_well": False,
            "root_cause": (
                "KPIs were written around what the supplier controls; the outcome KPI had no "
                "consequence attached."
            ),
            "recommendation": (
                "Tie at least one contract KPI, with service credits, to the mission outcome "
                "and report outputs only as diagnostics."
            ),
            "owner": "Commercial Lead, Digital Health Contracts",
            "action_status": "in_progress",
            "applies_to": "cross_government",
        },
        {
            "category": "market_engagement",
            "what_happened": (
                "One-to-one sessions with 14 suppliers (9 SMEs) reshaped the procurement into "
                "a paid six-month pilot with a break clause."
            ),
            "went_well": True,
            "root_cause": "The team listened before writing the specification.",
            "recommendation": (
                "Hold one-to-one conversations, not only webinars, before fixing the route "
                "for any novel technology."
            ),
            "owner": "Head of Commercial, DHSC",
            "action_status": "done",
            "applies_to": "department",
        },
        {
            "category": "data_and_evaluation",
            "what_happened": (
                "With only six trusts per arm the design could not detect the three-point "
                "gain it was meant to find."
            ),
            "went_well": False,
            "root_cause": (
                "The sample size was set by the number of volunteer trusts, not by the "
                "design effect of trust-level clustering."
            ),
            "recommendation": (
                "Size cluster designs on clusters, not patients; the scale-up adds 20 trusts "
                "with a stepped start so that the effect can be estimated."
            ),
            "owner": "Chief Analyst, DHSC",
            "action_status": "in_progress",
            "applies_to": "department",
        },
        {
            "category": "technology",
            "what_happened": "Consultant overrides of the tool were not logged with a reason.",
            "went_well": False,
            "root_cause": "The clinical safety case did not require an override audit.",
            "recommendation": "Add a clinician override audit to the scale-up contract.",
            "owner": "Clinical Safety Officer, NHS England",
            "action_status": "open",
            "applies_to": "pilot",
        },
    ],
    "decisions": [
        {
            "kind": "scale_adapted",
            "decided_on": dt.date(2026, 7, 16),
            "decided_by": "Elective Recovery Programme Board",
            "rationale": (
                "The pilot trusts improved by about three points more than matched trusts, "
                "but with six trusts per arm the interval is wide. The tool is safe and "
                "cheap per referral, so a larger, better designed roll-out is justified."
            ),
            "next_steps": (
                "Extend to 20 further trusts in 2026-27 with a stepped start, add a clinician "
                "override audit to the contract, and re-register the hypothesis with trusts "
                "as the unit of analysis."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P2  Automated validation of minor planning applications (MHCLG with 12 LPAs)
# --------------------------------------------------------------------------------------------
P2: dict[str, Any] = {
    "pilot": {
        "reference": "MHCLG-TL-002",
        "title": "Automated validation of minor planning applications",
        "lead_organisation": "Ministry of Housing, Communities and Local Government",
        "partner_organisations": ["Twelve local planning authorities", "Planning Advisory Service"],
        "team": "Digital Planning Programme",
        "senior_responsible_owner": "Deputy Director, Digital Planning",
        "minister": "Minister of State for Housing and Planning",
        "primary_mission": "GROWTH",
        "secondary_missions": [],
        "milestones": ["HOMES_INFRASTRUCTURE"],
        "problem_statement": (
            "Around half of minor planning applications arrive invalid, and validation "
            "officers spend up to two weeks checking documents by hand before the statutory "
            "eight-week clock can run usefully. Only 72% of minor applications at the twelve "
            "authorities were decided within eight weeks, delaying small housing schemes."
        ),
        "toc_inputs": (
            "A validation service called off a digital planning framework, configured to each "
            "authority's local validation list, and officer training."
        ),
        "toc_activities": (
            "Applications are checked automatically on submission for missing plans, fees and "
            "certificates, and applicants are told at once what to fix."
        ),
        "toc_outputs": "Applications validated within one working day; fewer invalid returns.",
        "toc_outcomes": "A larger share of minor applications decided within eight weeks.",
        "toc_impact": "Faster consent for small housing schemes towards 1.5 million homes.",
        "toc_assumptions": (
            "Officer time saved on validation goes to assessment, and applicants respond "
            "quickly to automated requests."
        ),
        "toc_riskiest_assumption": (
            "That validation, not assessment or consultation, is the bottleneck for minor "
            "applications."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 4, 1),
        "end_date": dt.date(2026, 3, 31),
        "budget": 1_100_000.0,
        "spend": 1_040_000.0,
        "national_rollout_cost": 18_500_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process"],
        "evaluation_design": "stepped_wedge",
        "delivery_summary": (
            "The twelve authorities switched on in four waves of three, one wave every two "
            "months, as planned. Two authorities needed extra configuration for their local "
            "validation lists, which delayed their wave by three weeks but not the order."
        ),
    },
    "procurements": [
        {
            "name": "Automated planning validation: call-off for 12 authorities",
            "route": "pa23_framework_call_off",
            "contract_value": 900_000.0,
            "supplier": "PlanCheck Digital Ltd",
            "bidders": 4,
            "engagement_methods": ["prototype_showcase", "one_to_one"],
            "suppliers_engaged": 6,
            "smes_engaged": 4,
            "engagement_changes": (
                "The showcase showed that validation rules differ by authority, so the "
                "call-off required configuration to each local list."
            ),
            "payment_mechanism": "fixed_price",
            "should_cost": 850_000.0,
            "winning_bid": 900_000.0,
            "outturn_cost": 900_000.0,
            "contract_manager": "Senior Commercial Manager, MHCLG",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
            "contract_start": dt.date(2025, 4, 1),
            "contract_end": dt.date(2026, 3, 31),
            "kpis": [
                {
                    "name": "Applications validated within one working day",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "GROWTH",
                    "target": "95% of minor applications",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "97%"}],
                },
                {
                    "name": "Minor applications decided within eight weeks",
                    "level": "outcome",
                    "mission_alignment": "strong",
                    "mission": "GROWTH",
                    "target": "At least 75% at live authorities",
                    "ratings": [
                        {
                            "year": "2025-26",
                            "rating": "good",
                            "note": "78.1% after go-live",
                        }
                    ],
                },
            ],
        },
        {
            "name": "Automated planning validation: national call-off for further authorities",
            "route": "pa23_framework_call_off",
            "contract_value": 4_800_000.0,
            "pipeline_year": "2027-28",
            "payment_mechanism": "fixed_price",
            "contract_manager": "Senior Commercial Manager, MHCLG",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "control-periods",
            "name": "Authorities' months before switch-on",
            "kind": "control_sites",
            "description": (
                "Minor applications received by each authority in the months before its wave "
                "switched on (stepped wedge control periods)."
            ),
            "rationale": (
                "Every authority gets the service, in a random order, so each is its own "
                "control and all twelve contribute to both conditions."
            ),
            "baseline_value": 0.72,
            "baseline_period": "2024-25",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Automated validation increases the share of minor planning applications "
                "decided within eight weeks."
            ),
            "role": "primary",
            "comparator": "control-periods",
            "outcome_name": "minor applications decided within eight weeks",
            "outcome_unit": "share of decisions",
            "outcome_type": "binary",
            "direction": "increase",
            "design": "two-group",
            "benefit_threshold": 0.03,
            "harm_margin": 0.02,
            "alpha": 0.05,
            "planned_n_pilot": 6_000,
            "planned_n_comparator": 6_000,
            "clustered_design": True,
            "planned_clusters_per_arm": 12,
            "icc": 0.01,
            "baseline_value": 0.72,
            "evidence_level": 4,
            "pilot_label": "applications after switch-on",
            "comparator_label": "applications before switch-on",
            "analysis_plan": (
                "Intervention against control periods across the twelve authorities, with the "
                "authority as the cluster; the switch-on order was randomised."
            ),
            "data": {
                "source_name": "MHCLG-TL-002-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 5_840, "successes": 4_561, "clusters": 12},
                    {"arm": "comparator", "n": 6_120, "successes": 4_431, "clusters": 12},
                ],
            },
        },
    ],
    "registered_at": _when(2025, 4, 22),
    "costs": [
        {
            "category": "delivery",
            "description": "Validation service call-off",
            "amount": 900_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Call-off competition",
            "amount": 20_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Analysis of planning application data",
            "amount": 60_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "staff",
            "description": "Programme team and authority liaison",
            "amount": 60_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "data_and_evaluation",
            "what_happened": (
                "Randomising the switch-on order of the twelve authorities gave every "
                "authority the service and a fair comparison at no extra cost."
            ),
            "went_well": True,
            "root_cause": "The evaluation was designed with the roll-out plan, not after it.",
            "recommendation": (
                "Where a service will reach every site anyway, randomise the order of roll-out."
            ),
            "owner": "Head of Analysis, MHCLG",
            "action_status": "done",
            "applies_to": "cross_government",
        },
        {
            "category": "delivery",
            "what_happened": "Two authorities' local validation lists needed extra configuration.",
            "went_well": False,
            "root_cause": "Local validation lists had not been reviewed since 2019.",
            "recommendation": (
                "Ask authorities to rationalise local validation lists before they join the "
                "national call-off."
            ),
            "owner": "Deputy Director, Digital Planning",
            "action_status": "in_progress",
            "applies_to": "department",
        },
    ],
    "decisions": [
        {
            "kind": "scale",
            "decided_on": dt.date(2026, 6, 11),
            "decided_by": "Planning Reform Board",
            "rationale": (
                "Applications decided after switch-on were more likely to be decided within "
                "eight weeks, with the switch-on order randomised across twelve authorities."
            ),
            "next_steps": (
                "Offer a national call-off to all local planning authorities from 2027-28, "
                "with the eight-week share as the contract's outcome KPI."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P3  Drones as first responder (Home Office with two police forces)
# --------------------------------------------------------------------------------------------
P3: dict[str, Any] = {
    "pilot": {
        "reference": "HO-TL-003",
        "title": "Drones as first responder",
        "lead_organisation": "Home Office",
        "partner_organisations": ["Northshire Police", "Westvale Constabulary"],
        "team": "Police Science and Technology Unit",
        "senior_responsible_owner": "Director, Police Productivity",
        "minister": "Minister of State for Policing and Crime Prevention",
        "primary_mission": "STREETS",
        "secondary_missions": [],
        "milestones": ["NEIGHBOURHOOD_POLICE"],
        "problem_statement": (
            "Response officers in the two forces spend about a third of their shift attending "
            "calls that turn out not to need them, and the first view of a scene often comes "
            "nine or ten minutes after the call. The forces want to see scenes sooner and "
            "keep officers for calls that need them."
        ),
        "toc_inputs": (
            "Remotely piloted drones at six docking stations, remote pilots in each control "
            "room and CAA operating permissions."
        ),
        "toc_activities": (
            "On eligible calls a drone launches from its dock and streams live video to the "
            "control room before any officer arrives."
        ),
        "toc_outputs": "A live view of the scene within minutes of the call.",
        "toc_outcomes": (
            "Control rooms resolve more calls without sending an officer, freeing response "
            "time for neighbourhood policing."
        ),
        "toc_impact": "More visible neighbourhood policing and safer streets.",
        "toc_assumptions": (
            "Control-room supervisors will close calls on the strength of drone video, and "
            "the public accept drone use."
        ),
        "toc_riskiest_assumption": (
            "That a faster first view changes whether an officer is sent (the capacity mechanism)."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 3, 3),
        "end_date": dt.date(2026, 5, 29),
        "budget": 1_950_000.0,
        "spend": 1_870_000.0,
        "national_rollout_cost": 64_000_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process"],
        "evaluation_design": "cluster_rct",
        "delivery_summary": (
            "Drones flew on eligible calls in randomly chosen shifts from June 2025 to May "
            "2026 and met the availability and launch-time KPIs. But both control rooms kept "
            "their policy that calls of these types need an officer in attendance, so video "
            "rarely changed the dispatch decision."
        ),
    },
    "procurements": [
        {
            "name": "Drone first-response service for two forces",
            "route": "pa23_open",
            "contract_value": 1_600_000.0,
            "supplier": "SkyWatch Response Ltd",
            "bidders": 5,
            "engagement_methods": ["industry_day", "one_to_one"],
            "suppliers_engaged": 9,
            "smes_engaged": 5,
            "engagement_changes": (
                "Suppliers asked for a managed service including remote pilots, rather than "
                "buying airframes, which the specification adopted."
            ),
            "payment_mechanism": "availability",
            "should_cost": 1_500_000.0,
            "winning_bid": 1_600_000.0,
            "outturn_cost": 1_580_000.0,
            "contract_manager": "Commercial Manager, Home Office Policing Contracts",
            "contract_manager_accreditation": "expert",
            "commercial_specialist": True,
            "contract_start": dt.date(2025, 6, 2),
            "contract_end": dt.date(2026, 5, 29),
            "kpis": [
                {
                    "name": "Airframe availability",
                    "level": "output",
                    "mission_alignment": "weak",
                    "mission": "STREETS",
                    "target": "95% of scheduled hours",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "96.8%"}],
                },
                {
                    "name": "Time to launch",
                    "description": "From dispatch request to drone airborne",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "STREETS",
                    "target": "Airborne within 90 seconds",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "Median 64 seconds"}],
                },
                {
                    "name": "Data-protection compliance",
                    "description": "Footage retention, redaction and logging as in the DPIA",
                    "level": "output",
                    "mission_alignment": "none",
                    "mission": "STREETS",
                    "target": "No reportable breaches; all flights logged",
                    "ratings": [{"year": "2025-26", "rating": "good"}],
                },
            ],
        },
        {
            "name": "Drone first response re-test with revised attendance policy",
            "route": "pa23_competitive_flexible",
            "contract_value": 1_200_000.0,
            "pipeline_year": "2026-27",
            "payment_mechanism": "availability",
            "contract_manager": "Commercial Manager, Home Office Policing Contracts",
            "contract_manager_accreditation": "expert",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "control-shifts",
            "name": "Control shifts (usual response)",
            "kind": "control_sites",
            "description": "Eligible calls in shifts randomised to usual officer response.",
            "rationale": "Randomisation by shift balances time of day, demand and staffing.",
            "baseline_value": 9.5,
            "baseline_period": "2024-25, eligible calls",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Drones as first responder reduce the minutes from call to first visual on scene."
            ),
            "role": "primary",
            "comparator": "control-shifts",
            "outcome_name": "time to first visual on scene",
            "outcome_unit": "minutes",
            "outcome_type": "continuous",
            "direction": "decrease",
            "design": "two-group",
            "benefit_threshold": 2.0,
            "harm_margin": 1.0,
            "alpha": 0.05,
            "planned_n_pilot": 1_200,
            "planned_n_comparator": 1_200,
            "allocation_ratio": 1.0,
            "clustered_design": True,
            "planned_clusters_per_arm": 700,
            "icc": 0.02,
            "assumed_sd": 6.0,
            "evidence_level": 5,
            "pilot_label": "calls in drone shifts",
            "comparator_label": "calls in control shifts",
            "analysis_plan": (
                "Welch comparison of mean minutes to first visual, eligible calls in drone "
                "shifts against control shifts, with the shift as the cluster."
            ),
            "data": {
                "source_name": "HO-TL-003-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 1_214, "mean": 3.6, "sd": 2.4, "clusters": 709},
                    {"arm": "comparator", "n": 1_187, "mean": 9.8, "sd": 6.1, "clusters": 702},
                ],
            },
        },
        {
            "code": "H2",
            "statement": (
                "Drones as first responder increase the share of calls resolved without an "
                "officer attending."
            ),
            "role": "secondary",
            "comparator": "control-shifts",
            "outcome_name": "calls resolved without officer attendance",
            "outcome_unit": "share of eligible calls",
            "outcome_type": "binary",
            "direction": "increase",
            "design": "two-group",
            "benefit_threshold": 0.05,
            "harm_margin": 0.02,
            "alpha": 0.05,
            "planned_n_pilot": 1_200,
            "planned_n_comparator": 1_200,
            "allocation_ratio": 1.0,
            "clustered_design": True,
            "planned_clusters_per_arm": 700,
            "icc": 0.02,
            "baseline_value": 0.24,
            "evidence_level": 5,
            "pilot_label": "calls in drone shifts",
            "comparator_label": "calls in control shifts",
            "analysis_plan": (
                "Difference in proportions with a score interval, shift as the cluster; "
                "Holm-adjusted as a secondary hypothesis."
            ),
            "data": {
                "source_name": "HO-TL-003-H2-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 1_214, "successes": 328, "clusters": 709},
                    {"arm": "comparator", "n": 1_187, "successes": 285, "clusters": 702},
                ],
            },
        },
    ],
    "registered_at": _when(2025, 5, 27),
    "costs": [
        {
            "category": "delivery",
            "description": "Managed drone service",
            "amount": 1_580_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Open procedure",
            "amount": 40_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Randomisation and independent evaluation",
            "amount": 110_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "staff",
            "description": "Force project leads",
            "amount": 80_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "other",
            "description": "CAA permissions and remote pilot training",
            "amount": 60_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "governance",
            "what_happened": (
                "Faster visuals did not free officer time because control-room policy still "
                "required an officer to attend these calls."
            ),
            "went_well": False,
            "root_cause": (
                "The capacity mechanism in the theory of change depended on a policy change "
                "that nobody owned."
            ),
            "recommendation": (
                "Agree the revised attendance policy with both forces before the re-test and "
                "name its owner in the theory of change."
            ),
            "owner": "Director, Police Productivity",
            "action_status": "in_progress",
            "applies_to": "pilot",
            "failure_kind": "theory",
        },
        {
            "category": "contract_and_kpi_design",
            "what_happened": (
                "All three KPIs (availability, launch time, data protection) were rated Good "
                "while officer attendance did not fall."
            ),
            "went_well": False,
            "root_cause": "The KPIs measured the drone service, not the policing outcome.",
            "recommendation": (
                "Include an outcome KPI such as calls closed without attendance in the "
                "re-test contract."
            ),
            "owner": "Commercial Manager, Home Office Policing Contracts",
            "action_status": "open",
            "applies_to": "department",
        },
        {
            "category": "data_and_evaluation",
            "what_happened": "Randomising by shift was accepted by both forces and cost little.",
            "went_well": True,
            "root_cause": "Shift rosters already existed in the command-and-control systems.",
            "recommendation": "Use shift randomisation for operational policing pilots.",
            "owner": "Chief Scientific Adviser's Office, Home Office",
            "action_status": "done",
            "applies_to": "cross_government",
        },
    ],
    "decisions": [
        {
            "kind": "adapt_and_retest",
            "decided_on": dt.date(2026, 8, 20),
            "decided_by": "Police Productivity Board",
            "rationale": (
                "Drones gave a first view of the scene about six minutes sooner, but calls "
                "resolved without attendance did not rise clearly, because attendance policy "
                "was unchanged. The benefit to the mission depends on that policy."
            ),
            "next_steps": (
                "Re-test in 2026-27 in one force with a revised attendance policy agreed "
                "before launch, and calls closed without attendance as the primary outcome."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P4  Speech and language screening app in Reception classes (DfE)
# --------------------------------------------------------------------------------------------
P4: dict[str, Any] = {
    "pilot": {
        "reference": "DFE-TL-004",
        "title": "Speech and language screening app in Reception classes",
        "lead_organisation": "Department for Education",
        "partner_organisations": ["Education Endowment Foundation", "300 primary schools"],
        "team": "Early Years Recovery Team",
        "senior_responsible_owner": "Director, Early Years and Childcare",
        "minister": "Minister of State for School Standards",
        "primary_mission": "OPPORTUNITY",
        "secondary_missions": [],
        "milestones": ["SCHOOL_READINESS"],
        "problem_statement": (
            "About one in three children finish Reception without a good level of "
            "development, and speech and language delay is the most common reason. Many "
            "delays are found late because Reception staff have no quick, consistent way to "
            "screen a whole class."
        ),
        "toc_inputs": (
            "A tablet screening app from an EdTech SME, a licence for each pilot school and "
            "two hours of practitioner training."
        ),
        "toc_activities": (
            "Practitioners screen every child in the autumn term and use the app's weekly "
            "activity plans with children flagged as at risk."
        ),
        "toc_outputs": "Every Reception child screened; targeted language activities each week.",
        "toc_outcomes": (
            "More children reach the expected level in communication and language, and so a "
            "good level of development."
        ),
        "toc_impact": "75% of five-year-olds ready to learn.",
        "toc_assumptions": (
            "Practitioners have time to use the app weekly, and the activities work when "
            "delivered by non-specialists."
        ),
        "toc_riskiest_assumption": (
            "That busy Reception practitioners will use the app every week throughout the year."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 4, 1),
        "end_date": dt.date(2026, 7, 17),
        "budget": 1_350_000.0,
        "spend": 1_290_000.0,
        "national_rollout_cost": 30_000_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process", "value_for_money"],
        "evaluation_design": "cluster_rct",
        "delivery_summary": (
            "Schools were randomised in July 2025 and the app was used from September 2025 "
            "to July 2026. The process evaluation found that only 41% of practitioners used "
            "the app weekly; most screened in the autumn and then stopped, citing staffing "
            "and the time each activity took."
        ),
    },
    "procurements": [
        {
            "name": "Reception speech and language screening: SBRI phase 2",
            "route": "sbri_phase_2",
            "contract_value": 1_100_000.0,
            "supplier": "TalkSteps Learning Ltd",
            "bidders": 6,
            "engagement_methods": ["webinar", "prototype_showcase"],
            "suppliers_engaged": 11,
            "smes_engaged": 10,
            "engagement_changes": (
                "The prototype showcase led to an offline mode for schools with poor Wi-Fi."
            ),
            "payment_mechanism": "milestone",
            "should_cost": 1_000_000.0,
            "winning_bid": 1_100_000.0,
            "outturn_cost": 1_100_000.0,
            "contract_manager": "Innovation Contracts Manager, DfE",
            "contract_manager_accreditation": "foundation",
            "commercial_specialist": True,
            "contract_start": dt.date(2025, 4, 1),
            "contract_end": dt.date(2026, 7, 17),
            "kpis": [
                {
                    "name": "Practitioners using the app weekly",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "OPPORTUNITY",
                    "target": "80% of practitioners each week",
                    "ratings": [{"year": "2025-26", "rating": "inadequate", "note": "41%"}],
                },
                {
                    "name": "Reception pupils screened by October half-term",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "OPPORTUNITY",
                    "target": "95% of pupils",
                    "ratings": [{"year": "2025-26", "rating": "approaching", "note": "88%"}],
                },
            ],
        },
        {
            "name": "Teacher-led language screening: adapt and re-test",
            "route": "grant",
            "contract_value": 650_000.0,
            "pipeline_year": "2027-28",
            "payment_mechanism": "milestone",
            "contract_manager": "Innovation Contracts Manager, DfE",
            "contract_manager_accreditation": "foundation",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "control-schools",
            "name": "Control schools (business as usual)",
            "kind": "control_sites",
            "description": "150 schools randomised to their usual Reception practice.",
            "rationale": "Randomising schools avoids contamination between classes.",
            "baseline_value": 0.68,
            "baseline_period": "EYFSP 2024",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "The screening app raises the share of Reception pupils reaching a good level "
                "of development."
            ),
            "role": "primary",
            "comparator": "control-schools",
            "outcome_name": "pupils reaching a good level of development",
            "outcome_unit": "share of pupils",
            "outcome_type": "binary",
            "direction": "increase",
            "design": "two-group",
            "benefit_threshold": 0.043,
            "alpha": 0.05,
            "planned_n_pilot": 4_500,
            "planned_n_comparator": 4_500,
            "allocation_ratio": 1.0,
            "clustered_design": True,
            "planned_clusters_per_arm": 150,
            "icc": 0.05,
            "baseline_value": 0.68,
            "evidence_level": 5,
            "pilot_label": "pilot schools",
            "comparator_label": "comparison schools",
            "analysis_plan": (
                "Difference in the share reaching a good level of development in the 2026 "
                "EYFSP, pilot against control schools, adjusted for clustering by school "
                "(ICC 0.05)."
            ),
            "data": {
                "source_name": "DFE-TL-004-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 4_410, "successes": 3_043, "clusters": 150},
                    {"arm": "comparator", "n": 4_380, "successes": 2_996, "clusters": 150},
                ],
            },
        },
    ],
    "registered_at": _when(2025, 7, 7),
    "costs": [
        {
            "category": "delivery",
            "description": "SBRI phase 2 contract",
            "amount": 1_100_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "evaluation",
            "description": "Cluster RCT and process evaluation",
            "amount": 150_000.0,
            "financial_year": "2026-27",
        },
        {
            "category": "staff",
            "description": "Project team",
            "amount": 40_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "delivery",
            "what_happened": "Only 41% of practitioners used the app weekly.",
            "went_well": False,
            "root_cause": (
                "The activities took 20 minutes per child group and Reception classes had no "
                "protected time or extra staff to deliver them."
            ),
            "recommendation": (
                "Test the minimum dose a practitioner can sustain before an efficacy trial, "
                "and build it into the school timetable."
            ),
            "owner": "Director, Early Years and Childcare",
            "action_status": "done",
            "applies_to": "department",
            "failure_kind": "implementation",
        },
        {
            "category": "users",
            "what_happened": (
                "Practitioners valued the autumn screen but not the weekly activity plans."
            ),
            "went_well": False,
            "root_cause": "The app was designed for speech therapists, not Reception staff.",
            "recommendation": (
                "Co-design with Reception practitioners; the re-test uses teacher-led "
                "screening with the existing curriculum."
            ),
            "owner": "Early Years Recovery Team",
            "action_status": "in_progress",
            "applies_to": "pilot",
        },
        {
            "category": "finance_and_value_for_money",
            "what_happened": (
                "A 1.3m trial ruled out the gain needed before a national roll-out of about 30m."
            ),
            "went_well": True,
            "root_cause": "The trial was sized to detect the smallest worthwhile effect.",
            "recommendation": "Keep efficacy trials ahead of national procurement decisions.",
            "owner": "Chief Analyst, DfE",
            "action_status": "done",
            "applies_to": "cross_government",
        },
    ],
    "decisions": [
        {
            "kind": "stop",
            "decided_on": dt.date(2026, 10, 15),
            "decided_by": "Minister of State for School Standards, advised by the Early Years "
            "Programme Board",
            "rationale": (
                "The trial rules out the 4.3-point gain it was designed to detect, and only "
                "41% of practitioners used the app weekly. A national roll-out would have cost "
                "about 30m without a worthwhile effect."
            ),
            "next_steps": (
                "Stop the app; no national procurement. Adapt and re-test: teacher-led "
                "screening within the existing Reception curriculum, co-designed with "
                "practitioners, in a smaller trial from September 2027."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P5  Outcome-based heat pump installations (DESNZ)
# --------------------------------------------------------------------------------------------
P5: dict[str, Any] = {
    "pilot": {
        "reference": "DESNZ-TL-005",
        "title": "Outcome-based heat pump installations",
        "lead_organisation": "Department for Energy Security and Net Zero",
        "partner_organisations": ["Ofgem", "Two regional energy hubs"],
        "team": "Heat Decarbonisation Delivery Team",
        "senior_responsible_owner": "Director, Heat and Buildings",
        "minister": "Minister for Energy Consumers",
        "primary_mission": "CLEAN_ENERGY",
        "secondary_missions": ["GROWTH"],
        "milestones": ["CLEAN_POWER_2030"],
        "problem_statement": (
            "Heat pumps installed under standard grant schemes often run below their design "
            "efficiency because of poor sizing and commissioning, raising bills and "
            "electricity demand. Grants pay for installation, not for performance, so "
            "installers have no reason to get it right."
        ),
        "toc_inputs": (
            "An outcome-based contract with 40% of payment contingent on verified in-situ "
            "efficiency, and metering for each home."
        ),
        "toc_activities": (
            "Installers size, install and commission heat pumps, and are paid the contingent "
            "share only when metered SCOP reaches 3.0."
        ),
        "toc_outputs": "1,000 metered heat pump installations.",
        "toc_outcomes": "Higher seasonal efficiency (SCOP) than standard grant-scheme installs.",
        "toc_impact": "Lower household bills and electricity demand on the path to clean power.",
        "toc_assumptions": (
            "Installers can carry the cash-flow risk of delayed outcome payments, and metered "
            "SCOP is a fair measure of installation quality."
        ),
        "toc_riskiest_assumption": (
            "That enough installers would bid with 40% of payment at risk for up to a year."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 3, 3),
        "end_date": dt.date(2026, 9, 30),
        "budget": 7_400_000.0,
        "spend": 5_150_000.0,
        "national_rollout_cost": 265_000_000.0,
        "marking": "OFFICIAL_SENSITIVE",
        "marking_descriptor": "COMMERCIAL",
        "handling_instructions": (
            "Contains supplier pricing and should-cost. Share within DESNZ and HM Treasury "
            "only; do not release outside government."
        ),
        "evaluation_types": ["impact", "process", "value_for_money"],
        "evaluation_design": "propensity_score_matching",
        "delivery_summary": (
            "Only three installers bid, against eleven expected, because the 40% outcome "
            "share left them waiting up to a year for payment. They installed 620 heat "
            "pumps against a target of 1,000; 412 had a full heating season of metered data "
            "by July 2026."
        ),
    },
    "procurements": [
        {
            "name": "Outcome-based heat pump installation contract",
            "route": "pa23_competitive_flexible",
            "contract_value": 6_800_000.0,
            "supplier": "WarmWorks Consortium",
            "bidders": 3,
            "engagement_methods": ["industry_day", "questionnaire", "one_to_one"],
            "suppliers_engaged": 18,
            "smes_engaged": 13,
            "engagement_changes": (
                "Eleven installers said they would bid; the share at risk was kept at 40% "
                "despite warnings about cash flow, and only three bid."
            ),
            "payment_mechanism": "payment_by_results",
            "share_at_risk_pct": 40.0,
            "should_cost": 6_100_000.0,
            "winning_bid": 6_800_000.0,
            "outturn_cost": 4_620_000.0,
            "contract_manager": "Senior Contract Manager, DESNZ Commercial",
            "contract_manager_accreditation": "expert",
            "commercial_specialist": True,
            "break_clause": "After year 1 on volume and verified SCOP",
            "contract_start": dt.date(2025, 7, 1),
            "contract_end": dt.date(2026, 9, 30),
            "kpis": [
                {
                    "name": "Heat pumps installed and metered",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "CLEAN_ENERGY",
                    "target": "1,000 installations",
                    "published": True,
                    "ratings": [
                        {
                            "year": "2025-26",
                            "rating": "requires_improvement",
                            "note": "Volume well behind profile after year 1",
                        }
                    ],
                },
                {
                    "name": "Verified in-situ seasonal efficiency",
                    "level": "outcome",
                    "mission_alignment": "strong",
                    "mission": "CLEAN_ENERGY",
                    "target": "SCOP of at least 3.0",
                    "published": True,
                    "ratings": [{"year": "2025-26", "rating": "good"}],
                },
                {
                    "name": "Households satisfied with comfort after the first winter",
                    "level": "outcome",
                    "mission_alignment": "partial",
                    "mission": "CLEAN_ENERGY",
                    "target": "85% satisfied",
                    "published": True,
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "89%"}],
                },
            ],
        },
        {
            "name": "Regional outcome-based heat pump installations (15% outcome share)",
            "route": "pa23_competitive_flexible",
            "contract_value": 28_000_000.0,
            "pipeline_year": "2027-28",
            "payment_mechanism": "payment_by_results",
            "share_at_risk_pct": 15.0,
            "contract_manager": "Senior Contract Manager, DESNZ Commercial",
            "contract_manager_accreditation": "expert",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "grant-installs",
            "name": "Standard grant-scheme installs in the same regions",
            "kind": "matched_comparison",
            "description": (
                "Heat pumps installed under the standard grant in the same regions over the "
                "same period, matched on property type, age, floor area and heat pump size."
            ),
            "rationale": (
                "The same housing stock and weather, paid for installation rather than performance."
            ),
            "baseline_value": 2.9,
            "baseline_period": "Winter 2024-25 metered installs",
        },
        {
            "key": "install-target",
            "name": "Installation target of 1,000",
            "kind": "fixed_benchmark",
            "description": "The contract's volume target for the pilot.",
            "rationale": "The volume needed to make an outcome-based market worth building.",
            "baseline_value": 1_000.0,
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Outcome-based payment raises mean in-situ seasonal efficiency (SCOP) compared "
                "with standard grant-scheme installs in the same regions."
            ),
            "role": "primary",
            "comparator": "grant-installs",
            "outcome_name": "in-situ seasonal efficiency",
            "outcome_unit": "SCOP points",
            "outcome_type": "continuous",
            "direction": "increase",
            "design": "two-group",
            "benefit_threshold": 0.2,
            "harm_margin": 0.1,
            "alpha": 0.05,
            "planned_n_pilot": 600,
            "planned_n_comparator": 1_000,
            "assumed_sd": 0.5,
            "evidence_level": 3,
            "pilot_label": "outcome-contract installs",
            "comparator_label": "matched grant-scheme installs",
            "analysis_plan": (
                "Welch comparison of mean metered SCOP over the first full heating season, "
                "pilot installs against propensity-matched grant installs."
            ),
            "data": {
                "source_name": "DESNZ-TL-005-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 412, "mean": 3.21, "sd": 0.48},
                    {"arm": "comparator", "n": 1_030, "mean": 2.94, "sd": 0.55},
                ],
            },
        },
        {
            "code": "H2",
            "statement": "The outcome-based contract delivers at least 1,000 installations.",
            "role": "secondary",
            "comparator": "install-target",
            "outcome_name": "heat pumps installed",
            "outcome_unit": "installations",
            "outcome_type": "count",
            "direction": "increase",
            "design": "benchmark",
            "benefit_threshold": 5.0,
            "harm_margin": 10.0,
            "alpha": 0.05,
            "planned_n_pilot": 1,
            "benchmark_value": 1_000.0,
            "evidence_level": 1,
            "pilot_label": "the outcome-based contract",
            "comparator_label": "the target of 1,000",
            "analysis_plan": (
                "Installations over the contract against the target of 1,000; falling more "
                "than 10% short counts as a failure of the market."
            ),
            "data": {
                "source_name": "DESNZ-TL-005-H2-aggregates.csv",
                "rows": [{"arm": "pilot", "events": 620, "exposure": 1}],
            },
        },
    ],
    "registered_at": _when(2025, 6, 23),
    "costs": [
        {
            "category": "delivery",
            "description": "Installation and outcome payments",
            "amount": 4_620_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Competitive flexible procedure",
            "amount": 120_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Metering and matched comparison",
            "amount": 260_000.0,
            "financial_year": "2026-27",
        },
        {
            "category": "staff",
            "description": "Delivery team",
            "amount": 150_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "market_engagement",
            "what_happened": (
                "Cash-flow risk cut bidders from eleven expected to three, and installs "
                "reached 620 of 1,000."
            ),
            "went_well": False,
            "root_cause": (
                "Market engagement warned that small installers could not wait a year for "
                "40% of their payment, but the share at risk was not changed."
            ),
            "recommendation": (
                "Test the payment profile with suppliers before tender; the scale-up cuts the "
                "outcome share to 15% and pays it quarterly."
            ),
            "owner": "Senior Contract Manager, DESNZ Commercial",
            "action_status": "done",
            "applies_to": "cross_government",
            "failure_kind": "market",
        },
        {
            "category": "contract_and_kpi_design",
            "what_happened": "Paying for verified SCOP raised installation quality.",
            "went_well": True,
            "root_cause": "Payment was tied to the outcome that matters, measured by meters.",
            "recommendation": (
                "Keep an outcome-linked payment, at a share the market can finance."
            ),
            "owner": "Director, Heat and Buildings",
            "action_status": "done",
            "applies_to": "department",
        },
        {
            "category": "finance_and_value_for_money",
            "what_happened": "The winning bid was 11% above the 6.1m should-cost.",
            "went_well": False,
            "root_cause": "Bidders priced the cost of financing the outcome share.",
            "recommendation": "Model suppliers' financing costs in the should-cost.",
            "owner": "Commercial Finance Lead, DESNZ",
            "action_status": "open",
            "applies_to": "department",
        },
    ],
    "decisions": [
        {
            "kind": "scale_adapted",
            "decided_on": dt.date(2026, 11, 5),
            "decided_by": "Heat and Buildings Investment Committee",
            "rationale": (
                "Outcome-based installs reached a higher SCOP than matched grant installs, "
                "but volume fell far short because the 40% outcome share drove bidders away."
            ),
            "next_steps": (
                "Procure regional contracts in 2027-28 with the outcome share cut to 15%, "
                "paid quarterly, and the volume target re-registered."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P6  Payment-by-results employment support for over-50s (DWP)
# --------------------------------------------------------------------------------------------
P6: dict[str, Any] = {
    "pilot": {
        "reference": "DWP-TL-006",
        "title": "Payment-by-results employment support for over-50s",
        "lead_organisation": "Department for Work and Pensions",
        "partner_organisations": ["Two Jobcentre Plus districts"],
        "team": "Employment Support Innovation Team",
        "senior_responsible_owner": "Director, Employment Support",
        "minister": "Minister of State for Employment",
        "primary_mission": "GROWTH",
        "secondary_missions": [],
        "milestones": ["LIVING_STANDARDS"],
        "problem_statement": (
            "Unemployed people over 50 take longer to return to work than younger claimants, "
            "and about one in five on usual Jobcentre support is in sustained work nine months "
            "later. Specialist providers say they can do better if paid for results."
        ),
        "toc_inputs": (
            "An outcome-based contract paying a provider per sustained job outcome, with "
            "referrals from two Jobcentre districts."
        ),
        "toc_activities": (
            "Caseworkers give tailored support: skills audits, employer brokerage and health "
            "support for older jobseekers."
        ),
        "toc_outputs": "Participants start support within ten working days of referral.",
        "toc_outcomes": "More participants in work for at least 26 of the 39 weeks after referral.",
        "toc_impact": "Higher employment and living standards among over-50s.",
        "toc_assumptions": (
            "Outcome payments make the provider serve every participant, not only those "
            "closest to work."
        ),
        "toc_riskiest_assumption": (
            "That paying per outcome rewards additional outcomes rather than outcomes that "
            "would have happened anyway."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 3, 3),
        "end_date": dt.date(2026, 7, 31),
        "budget": 2_300_000.0,
        "spend": 2_050_000.0,
        "national_rollout_cost": 85_000_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process", "value_for_money"],
        "evaluation_design": "individual_rct",
        "delivery_summary": (
            "4,790 jobseekers were randomised between June and October 2025 and followed for "
            "39 weeks. The process evaluation found creaming and parking: caseworkers "
            "concentrated on participants closest to work and parked those with health "
            "conditions, who received little more than usual support."
        ),
    },
    "procurements": [
        {
            "name": "Over-50s employment support: outcome-based contract",
            "route": "pa23_open",
            "contract_value": 2_200_000.0,
            "supplier": "Pathways to Work Partnership",
            "bidders": 4,
            "engagement_methods": ["webinar", "questionnaire"],
            "suppliers_engaged": 12,
            "smes_engaged": 7,
            "engagement_changes": "Providers asked for a small service fee, which was added.",
            "payment_mechanism": "payment_by_results",
            "share_at_risk_pct": 70.0,
            "should_cost": 2_100_000.0,
            "winning_bid": 2_200_000.0,
            "outturn_cost": 1_780_000.0,
            "contract_manager": "Contract Manager, DWP Employment Commercial",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
            "contract_start": dt.date(2025, 6, 2),
            "contract_end": dt.date(2026, 7, 31),
            "kpis": [
                {
                    "name": "Participants starting support within ten working days",
                    "level": "output",
                    "mission_alignment": "weak",
                    "mission": "GROWTH",
                    "target": "90% of referrals",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "94%"}],
                },
                {
                    "name": "Sustained job outcomes (26 of 39 weeks)",
                    "level": "outcome",
                    "mission_alignment": "strong",
                    "mission": "GROWTH",
                    "target": "25% of participants",
                    "ratings": [
                        {
                            "year": "2026-27",
                            "rating": "requires_improvement",
                            "note": "21.4%",
                        }
                    ],
                },
            ],
        },
    ],
    "comparators": [
        {
            "key": "usual-support",
            "name": "Usual Jobcentre support",
            "kind": "control_sites",
            "description": "Eligible jobseekers randomised to usual work coach support.",
            "rationale": (
                "Randomisation measures the deadweight: jobs that would have happened anyway."
            ),
            "baseline_value": 0.20,
            "baseline_period": "2023-24 claimant cohort aged 50 and over",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Payment-by-results support raises the share of over-50s in sustained "
                "employment compared with usual Jobcentre support."
            ),
            "role": "primary",
            "comparator": "usual-support",
            "outcome_name": "participants in work for 26 of 39 weeks",
            "outcome_unit": "share of participants",
            "outcome_type": "binary",
            "direction": "increase",
            "design": "two-group",
            "benefit_threshold": 0.04,
            "harm_margin": 0.02,
            "alpha": 0.05,
            "planned_n_pilot": 2_400,
            "planned_n_comparator": 2_400,
            "allocation_ratio": 1.0,
            "baseline_value": 0.20,
            "evidence_level": 5,
            "pilot_label": "participants offered the contracted support",
            "comparator_label": "participants on usual support",
            "analysis_plan": (
                "Intention-to-treat difference in proportions in sustained employment from "
                "HMRC earnings data; four points is the gain at which the outcome price "
                "breaks even."
            ),
            "data": {
                "source_name": "DWP-TL-006-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 2_400, "successes": 514},
                    {"arm": "comparator", "n": 2_390, "successes": 473},
                ],
            },
        },
    ],
    "registered_at": _when(2025, 5, 28),
    "costs": [
        {
            "category": "delivery",
            "description": "Service fee and outcome payments",
            "amount": 1_780_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Open procedure",
            "amount": 40_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Randomisation, HMRC data linkage, process study",
            "amount": 170_000.0,
            "financial_year": "2026-27",
        },
        {
            "category": "staff",
            "description": "Project team",
            "amount": 60_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "contract_and_kpi_design",
            "what_happened": (
                "The price per outcome ignored the 19.8% deadweight of the control group, so "
                "most outcome payments bought jobs that would have happened anyway."
            ),
            "went_well": False,
            "root_cause": (
                "The outcome price was set on gross outcomes; the evaluation's baseline was "
                "not used by the commercial team."
            ),
            "recommendation": (
                "Price outcome contracts on additional outcomes above a measured baseline."
            ),
            "owner": "Contract Manager, DWP Employment Commercial",
            "action_status": "done",
            "applies_to": "cross_government",
        },
        {
            "category": "delivery",
            "what_happened": (
                "Caseworkers creamed participants closest to work and parked those with "
                "health conditions."
            ),
            "went_well": False,
            "root_cause": "A flat outcome price made harder cases unprofitable.",
            "recommendation": "Use differential pricing by distance from work, or avoid pure PbR.",
            "owner": "Director, Employment Support",
            "action_status": "done",
            "applies_to": "department",
            "failure_kind": "implementation",
        },
        {
            "category": "market_engagement",
            "what_happened": "Engagement was a webinar and a questionnaire.",
            "went_well": False,
            "root_cause": "Timetable pressure before the contract start.",
            "recommendation": ("Hold one-to-one sessions to test payment models with providers."),
            "owner": "Head of Employment Commercial, DWP",
            "action_status": "open",
            "applies_to": "department",
        },
    ],
    "decisions": [
        {
            "kind": "stop",
            "decided_on": dt.date(2026, 9, 24),
            "decided_by": "DWP Investment Committee",
            "rationale": (
                "The randomised trial rules out a gain of four points or more, the gain at "
                "which the outcome price would break even, and found creaming and parking. "
                "A national roll-out would have cost about 85m."
            ),
            "next_steps": (
                "Let the contract end in July 2026 with no extension. Feed the pricing lesson "
                "into the design of future employment support."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P7  Alcohol-monitoring tags for domestic-abuse perpetrators (MoJ probation)
# --------------------------------------------------------------------------------------------
P7: dict[str, Any] = {
    "pilot": {
        "reference": "MOJ-TL-007",
        "title": "Alcohol-monitoring tags for domestic-abuse perpetrators on community orders",
        "lead_organisation": "Ministry of Justice",
        "partner_organisations": ["HM Prison and Probation Service", "Three probation regions"],
        "team": "Electronic Monitoring Policy Team",
        "senior_responsible_owner": "Director, Probation Reform",
        "minister": "Minister of State for Prisons, Parole and Probation",
        "primary_mission": "STREETS",
        "secondary_missions": [],
        "milestones": [],
        "problem_statement": (
            "Alcohol is a factor in a large share of domestic-abuse offences, and about 18% "
            "of perpetrators on community orders are proven to reoffend against a partner "
            "within a year. Abstinence requirements are hard to enforce without monitoring."
        ),
        "toc_inputs": (
            "Transdermal alcohol-monitoring tags called off the existing electronic "
            "monitoring contract, and probation practitioner training."
        ),
        "toc_activities": (
            "Courts impose an alcohol abstinence monitoring requirement; breaches are "
            "reported to the probation practitioner within a day."
        ),
        "toc_outputs": "Tags fitted within 48 hours; breaches acted on quickly.",
        "toc_outcomes": "Fewer proven domestic-abuse reoffences within 12 months.",
        "toc_impact": "Safer homes and streets; fewer victims.",
        "toc_assumptions": "Abstinence reduces the risk of abuse for this group.",
        "toc_riskiest_assumption": (
            "That courts choose tags for comparable offenders, so the matched comparison is fair."
        ),
        "status": "decided",
        "start_date": dt.date(2024, 10, 1),
        "end_date": dt.date(2026, 9, 30),
        "budget": 950_000.0,
        "spend": 860_000.0,
        "national_rollout_cost": 14_000_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process"],
        "evaluation_design": "propensity_score_matching",
        "delivery_summary": (
            "1,046 perpetrators were tagged between October 2024 and March 2025, with 93% "
            "wearing the tag for the full requirement. Reoffending was measured for 12 months "
            "with a six-month wait for convictions, using the Police National Computer."
        ),
    },
    "procurements": [
        {
            "name": "Alcohol-monitoring tags: call-off from the electronic monitoring contract",
            "route": "pa23_framework_call_off",
            "contract_value": 800_000.0,
            "supplier": "Existing electronic monitoring supplier",
            "bidders": 1,
            "engagement_methods": [],
            "payment_mechanism": "time_and_materials",
            "winning_bid": 800_000.0,
            "outturn_cost": 740_000.0,
            "contract_manager": "Senior Probation Officer (EM lead)",
            "contract_manager_accreditation": "none",
            "commercial_specialist": False,
            "contract_start": dt.date(2024, 10, 1),
            "contract_end": dt.date(2025, 9, 30),
            "kpis": [
                {
                    "name": "Tags fitted within 48 hours of the order",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "STREETS",
                    "target": "95%",
                    "ratings": [{"year": "2024-25", "rating": "good", "note": "97%"}],
                },
                {
                    "name": "Compliance with the abstinence requirement",
                    "level": "outcome",
                    "mission_alignment": "partial",
                    "mission": "STREETS",
                    "target": "90% of monitored days alcohol-free",
                    "ratings": [{"year": "2024-25", "rating": "approaching", "note": "87%"}],
                },
            ],
        },
        {
            "name": "National alcohol-monitoring requirement for domestic-abuse orders",
            "route": "pa23_framework_call_off",
            "contract_value": 9_500_000.0,
            "pipeline_year": "2027-28",
            "payment_mechanism": "time_and_materials",
            "contract_manager": "Commercial Manager, MoJ Electronic Monitoring",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "matched-cohort",
            "name": "Propensity-matched perpetrators on community orders without tags",
            "kind": "matched_comparison",
            "description": (
                "Perpetrators sentenced in the same regions and period without the "
                "requirement, matched 1:1 on risk scores, offence history and alcohol flags."
            ),
            "rationale": "Courts decided who was tagged, so randomisation was not possible.",
            "baseline_value": 0.18,
            "baseline_period": "2022-23 community order cohort",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Alcohol-monitoring tags reduce proven domestic-abuse reoffending within 12 months."
            ),
            "role": "primary",
            "comparator": "matched-cohort",
            "outcome_name": "proven domestic-abuse reoffending within 12 months",
            "outcome_unit": "share of perpetrators",
            "outcome_type": "binary",
            "direction": "decrease",
            "design": "two-group",
            "benefit_threshold": 0.03,
            "harm_margin": 0.02,
            "alpha": 0.05,
            "planned_n_pilot": 1_000,
            "planned_n_comparator": 1_000,
            "baseline_value": 0.18,
            "evidence_level": 3,
            "pilot_label": "tagged perpetrators",
            "comparator_label": "matched perpetrators",
            "analysis_plan": (
                "Difference in proven reoffending rates between tagged and 1:1 "
                "propensity-matched perpetrators; balance checked on all matching variables."
            ),
            "data": {
                "source_name": "MOJ-TL-007-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 1_046, "successes": 149},
                    {"arm": "comparator", "n": 1_046, "successes": 187},
                ],
            },
        },
    ],
    "registered_at": _when(2024, 10, 14),
    "costs": [
        {
            "category": "delivery",
            "description": "Tags and monitoring",
            "amount": 740_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Matched cohort analysis",
            "amount": 70_000.0,
            "financial_year": "2026-27",
        },
        {
            "category": "staff",
            "description": "Probation project leads",
            "amount": 50_000.0,
            "financial_year": "2024-25",
        },
    ],
    "lessons": [
        {
            "category": "contract_management",
            "what_happened": (
                "The call-off was managed by a senior probation officer without commercial "
                "accreditation, and volume discounts in the main contract were not claimed."
            ),
            "went_well": False,
            "root_cause": "No commercial specialist was assigned to a small call-off.",
            "recommendation": (
                "Assign an accredited commercial specialist to every call-off, however small."
            ),
            "owner": "Head of Commercial, MoJ",
            "action_status": "in_progress",
            "applies_to": "department",
        },
        {
            "category": "data_and_evaluation",
            "what_happened": (
                "Courts chose whom to tag, so unobserved differences between groups remain "
                "possible despite matching."
            ),
            "went_well": False,
            "root_cause": "Randomisation was ruled out by sentencing practice.",
            "recommendation": (
                "Stagger the national roll-out by region so that later regions act as a "
                "concurrent comparison."
            ),
            "owner": "Chief Analyst, MoJ",
            "action_status": "open",
            "applies_to": "pilot",
        },
    ],
    "decisions": [
        {
            "kind": "scale",
            "decided_on": dt.date(2026, 10, 29),
            "decided_by": "Probation Reform Board",
            "rationale": (
                "Tagged perpetrators reoffended less than matched perpetrators. The matched "
                "design cannot rule out unobserved confounding (courts chose whom to tag), "
                "so the estimate may overstate the effect."
            ),
            "next_steps": (
                "Roll out nationally from 2027-28 in regional waves, measuring reoffending "
                "against regions not yet live."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P8  Joint commissioning of self-contained temporary accommodation (MHCLG, four boroughs)
# --------------------------------------------------------------------------------------------
P8: dict[str, Any] = {
    "pilot": {
        "reference": "MHCLG-TL-008",
        "title": "Joint commissioning of self-contained temporary accommodation",
        "lead_organisation": "Ministry of Housing, Communities and Local Government",
        "partner_organisations": [
            "London Borough of Eastbridge",
            "London Borough of Hallfield",
            "London Borough of Millbank Green",
            "London Borough of Southmere",
        ],
        "team": "Homelessness and Rough Sleeping Directorate",
        "senior_responsible_owner": "Director, Homelessness",
        "minister": "Minister for Homelessness and Democracy",
        "primary_mission": "OPPORTUNITY",
        "secondary_missions": ["GROWTH"],
        "milestones": [],
        "problem_statement": (
            "Families are placed in bed-and-breakfast beyond the six-week legal limit because "
            "boroughs compete against each other for the same self-contained units, bidding "
            "up nightly rates. At the four pilot boroughs 212 families were in B&B for more "
            "than six weeks."
        ),
        "toc_inputs": (
            "A joint dynamic market run by the four boroughs, common rates and a shared "
            "placements team."
        ),
        "toc_activities": (
            "Boroughs buy self-contained units together at agreed rates and place families "
            "from a shared pool instead of competing."
        ),
        "toc_outputs": "More self-contained units available to the four boroughs.",
        "toc_outcomes": "Fewer families in B&B for more than six weeks.",
        "toc_impact": "Children in stable homes, with better schooling and health.",
        "toc_assumptions": (
            "Landlords will offer units at common rates, and boroughs will share units fairly."
        ),
        "toc_riskiest_assumption": (
            "That the four boroughs keep to common rates rather than outbidding each other."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 4, 1),
        "end_date": dt.date(2026, 3, 31),
        "budget": 3_900_000.0,
        "spend": 3_620_000.0,
        "national_rollout_cost": 48_000_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process", "value_for_money"],
        "evaluation_design": "difference_in_differences",
        "delivery_summary": (
            "The dynamic market admitted 37 providers and made 410 self-contained units "
            "available. All four boroughs kept to the common rates, and the shared "
            "placements team matched families across borough lines from July 2025."
        ),
    },
    "procurements": [
        {
            "name": "Self-contained temporary accommodation: joint dynamic market",
            "route": "pa23_dynamic_market",
            "contract_value": 3_500_000.0,
            "supplier": "37 accommodation providers",
            "bidders": 37,
            "engagement_methods": ["industry_day", "one_to_one", "co_design"],
            "suppliers_engaged": 52,
            "smes_engaged": 41,
            "engagement_changes": (
                "Landlords asked for a single set of inspection standards across the four "
                "boroughs, which the market adopted."
            ),
            "payment_mechanism": "fixed_price",
            "should_cost": 3_600_000.0,
            "outturn_cost": 3_350_000.0,
            "contract_manager": "Joint Commissioning Manager (Chartered Procurement)",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
            "contract_start": dt.date(2025, 4, 1),
            "contract_end": dt.date(2026, 3, 31),
            "kpis": [
                {
                    "name": "Self-contained units available under the market",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "OPPORTUNITY",
                    "target": "350 units",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "410 units"}],
                },
                {
                    "name": "Families moved out of B&B within six weeks",
                    "level": "outcome",
                    "mission_alignment": "strong",
                    "mission": "OPPORTUNITY",
                    "target": "90% of families placed in B&B",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "91%"}],
                },
            ],
        },
        {
            "name": "Pan-London joint commissioning of temporary accommodation",
            "route": "pa23_dynamic_market",
            "contract_value": 22_000_000.0,
            "pipeline_year": "2026-27",
            "payment_mechanism": "fixed_price",
            "contract_manager": "Joint Commissioning Manager (Chartered Procurement)",
            "contract_manager_accreditation": "practitioner",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "comparison-boroughs",
            "name": "Comparison boroughs",
            "kind": "matched_comparison",
            "description": (
                "Five London boroughs with similar temporary accommodation pressures that "
                "kept commissioning alone."
            ),
            "rationale": "They share the London housing market trend the pilot boroughs face.",
            "baseline_value": 390.0,
            "baseline_period": "2024-25",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Joint commissioning reduces the number of families in bed-and-breakfast for "
                "more than six weeks."
            ),
            "role": "primary",
            "comparator": "comparison-boroughs",
            "outcome_name": "families in B&B for more than six weeks",
            "outcome_unit": "families a year",
            "outcome_type": "count",
            "direction": "decrease",
            "design": "did",
            "benefit_threshold": 25.0,
            "harm_margin": 10.0,
            "alpha": 0.05,
            "planned_n_pilot": 1,
            "planned_n_comparator": 1,
            "baseline_value": 200.0,
            "evidence_level": 3,
            "pilot_label": "pilot boroughs",
            "comparator_label": "comparison boroughs",
            "analysis_plan": (
                "Ratio of rate ratios: families in B&B beyond six weeks in 2025-26 against "
                "2024-25, pilot boroughs against comparison boroughs (one year of exposure "
                "per period)."
            ),
            "data": {
                "source_name": "MHCLG-TL-008-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "period": "before", "events": 212, "exposure": 1},
                    {"arm": "pilot", "period": "after", "events": 81, "exposure": 1},
                    {"arm": "comparator", "period": "before", "events": 390, "exposure": 1},
                    {"arm": "comparator", "period": "after", "events": 308, "exposure": 1},
                ],
            },
        },
    ],
    "registered_at": _when(2025, 4, 15),
    "costs": [
        {
            "category": "delivery",
            "description": "Accommodation under the dynamic market",
            "amount": 3_350_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Setting up the dynamic market",
            "amount": 60_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "H-CLIC data analysis",
            "amount": 90_000.0,
            "financial_year": "2026-27",
        },
        {
            "category": "staff",
            "description": "Shared placements team",
            "amount": 120_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "market_engagement",
            "what_happened": (
                "Co-design with landlords produced common inspection standards and brought "
                "41 SMEs into the market."
            ),
            "went_well": True,
            "root_cause": "Landlords were engaged one to one before the market opened.",
            "recommendation": "Co-design market rules with small providers before launch.",
            "owner": "Joint Commissioning Manager",
            "action_status": "done",
            "applies_to": "cross_government",
        },
        {
            "category": "governance",
            "what_happened": "All four boroughs kept to the common rates for the whole year.",
            "went_well": True,
            "root_cause": "A joint board with a written rates agreement and monthly review.",
            "recommendation": "Put rate agreements in writing before joint commissioning.",
            "owner": "Director, Homelessness",
            "action_status": "done",
            "applies_to": "department",
        },
    ],
    "decisions": [
        {
            "kind": "scale",
            "decided_on": dt.date(2026, 6, 25),
            "decided_by": "Homelessness and Rough Sleeping Board",
            "rationale": (
                "Families in B&B beyond six weeks fell far more in the pilot boroughs than in "
                "comparison boroughs, against the same London market."
            ),
            "next_steps": (
                "Offer pan-London joint commissioning from 2026-27, with the same common "
                "rates agreement."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P9  App-based demand-responsive rural bus (DfT with a county council)
# --------------------------------------------------------------------------------------------
P9: dict[str, Any] = {
    "pilot": {
        "reference": "DFT-TL-009",
        "title": "App-based demand-responsive rural bus",
        "lead_organisation": "Department for Transport",
        "partner_organisations": ["Fellshire County Council"],
        "team": "Local Transport Innovation Team",
        "senior_responsible_owner": "Director, Local Transport",
        "minister": "Minister for Local Transport",
        "primary_mission": "GROWTH",
        "secondary_missions": ["OPPORTUNITY"],
        "milestones": ["LIVING_STANDARDS"],
        "problem_statement": (
            "The fixed rural bus route cost 412k a year in subsidy for about 100,500 "
            "journeys, with many near-empty runs. The council wanted to serve more of the "
            "area for the same money by running buses only when booked."
        ),
        "toc_inputs": (
            "Five minibuses, a booking app and a contracted operator, funded from the "
            "route's subsidy."
        ),
        "toc_activities": "Passengers book journeys in an app; buses run flexible routes.",
        "toc_outputs": "Buses available on demand across the whole area, 3,000 journeys a week.",
        "toc_outcomes": "More passenger journeys per pound of subsidy than the fixed route.",
        "toc_impact": "Better rural access to work and services.",
        "toc_assumptions": (
            "Rural passengers, many of them older, will book by app, and demand will grow "
            "when the service reaches new villages."
        ),
        "toc_riskiest_assumption": "That older rural passengers would book journeys by app.",
        "status": "decided",
        "start_date": dt.date(2025, 3, 3),
        "end_date": dt.date(2026, 6, 30),
        "budget": 950_000.0,
        "spend": 880_000.0,
        "national_rollout_cost": 46_000_000.0,
        "marking": "OFFICIAL",
        "evaluation_types": ["impact", "process"],
        "evaluation_design": "before_after",
        "delivery_summary": (
            "The service ran from July 2025 to June 2026 with vehicles available 98.6% of "
            "the time and the app up 99.8%. Journeys averaged 1,150 a week against a target "
            "of 3,000: many older passengers could not or would not book by app, and the "
            "phone line was added only in March 2026."
        ),
    },
    "procurements": [
        {
            "name": "Demand-responsive rural bus service and booking app",
            "route": "pa23_open",
            "contract_value": 780_000.0,
            "supplier": "Ruralink Mobility Ltd",
            "bidders": 2,
            "engagement_methods": ["webinar"],
            "suppliers_engaged": 5,
            "smes_engaged": 3,
            "engagement_changes": "None recorded.",
            "payment_mechanism": "fixed_price",
            "should_cost": 700_000.0,
            "winning_bid": 780_000.0,
            "outturn_cost": 760_000.0,
            "contract_manager": "Passenger Transport Officer, Fellshire County Council",
            "contract_manager_accreditation": "foundation",
            "commercial_specialist": False,
            "contract_start": dt.date(2025, 7, 1),
            "contract_end": dt.date(2026, 6, 30),
            "kpis": [
                {
                    "name": "Vehicle availability",
                    "level": "output",
                    "mission_alignment": "weak",
                    "mission": "GROWTH",
                    "target": "98% of scheduled hours",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "98.6%"}],
                },
                {
                    "name": "Booking app uptime",
                    "level": "output",
                    "mission_alignment": "none",
                    "mission": "GROWTH",
                    "target": "99.5%",
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "99.8%"}],
                },
            ],
        },
    ],
    "comparators": [
        {
            "key": "fixed-route",
            "name": "The fixed route it replaced",
            "kind": "historical_baseline",
            "description": "The fixed rural route in 2024-25: 100,500 journeys for 412k subsidy.",
            "rationale": "The service the money would otherwise have bought.",
            "baseline_value": 243.9,
            "baseline_period": "2024-25",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Demand-responsive buses carry more passenger journeys per pound of subsidy "
                "than the fixed route they replaced (lower subsidy per journey)."
            ),
            "role": "primary",
            "comparator": "fixed-route",
            "outcome_name": "passenger journeys per £1,000 of subsidy",
            "outcome_unit": "journeys per £1,000",
            "outcome_type": "count",
            "direction": "increase",
            "design": "before-after",
            "benefit_threshold": 10.0,
            "harm_margin": 10.0,
            "alpha": 0.05,
            "planned_n_pilot": 700,
            "planned_n_comparator": 412,
            "baseline_value": 243.9,
            "evidence_level": 1,
            "pilot_label": "the demand-responsive service",
            "comparator_label": "the fixed route",
            "analysis_plan": (
                "Rate ratio of journeys per £1,000 of subsidy, the service year against the "
                "fixed route's last year; exposure is subsidy in £ thousands."
            ),
            "data": {
                "source_name": "DFT-TL-009-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "period": "before", "events": 100_500, "exposure": 412},
                    {"arm": "pilot", "period": "after", "events": 59_800, "exposure": 706},
                ],
            },
        },
    ],
    "registered_at": _when(2025, 6, 16),
    "costs": [
        {
            "category": "delivery",
            "description": "Operator subsidy and app platform",
            "amount": 760_000.0,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Open procedure",
            "amount": 30_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Ticketing data and passenger survey",
            "amount": 40_000.0,
            "financial_year": "2026-27",
        },
        {
            "category": "staff",
            "description": "Council project officer",
            "amount": 50_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "users",
            "what_happened": (
                "Older passengers without smartphones stopped travelling: journeys fell to "
                "1,150 a week against a target of 3,000."
            ),
            "went_well": False,
            "root_cause": (
                "The theory of change assumed app booking; digital exclusion of older rural "
                "users was not tested before launch."
            ),
            "recommendation": (
                "Test booking channels with the people who use the current service before "
                "replacing it; offer phone booking from day one."
            ),
            "owner": "Director, Local Transport",
            "action_status": "done",
            "applies_to": "cross_government",
            "failure_kind": "theory",
        },
        {
            "category": "market_engagement",
            "what_happened": (
                "Engagement was a single webinar; only two operators bid and the winning bid "
                "was 11% above the should-cost."
            ),
            "went_well": False,
            "root_cause": (
                "Few rural operators could supply vehicles and an app together, and nobody "
                "talked to them one to one."
            ),
            "recommendation": (
                "Hold one-to-one sessions with local operators and consider lotting vehicles "
                "and software separately."
            ),
            "owner": "Passenger Transport Officer, Fellshire County Council",
            "action_status": "open",
            "applies_to": "department",
            "failure_kind": "market",
        },
        {
            "category": "contract_and_kpi_design",
            "what_happened": (
                "Both KPIs (vehicle availability and app uptime) were rated Good while "
                "journeys per pound collapsed."
            ),
            "went_well": False,
            "root_cause": "KPIs measured outputs the operator controls, not passenger outcomes.",
            "recommendation": (
                "Include passenger journeys and subsidy per journey as contract KPIs."
            ),
            "owner": "Local Transport Innovation Team",
            "action_status": "done",
            "applies_to": "cross_government",
        },
        {
            "category": "contract_management",
            "what_happened": (
                "The contract was managed by a transport officer without commercial "
                "accreditation, and the falling journeys did not trigger a review."
            ),
            "went_well": False,
            "root_cause": "The council had no commercial specialist for transport contracts.",
            "recommendation": "Fund commercial support for councils running DfT pilots.",
            "owner": "Director, Local Transport",
            "action_status": "in_progress",
            "applies_to": "department",
        },
    ],
    "decisions": [
        {
            "kind": "stop",
            "decided_on": dt.date(2026, 8, 6),
            "decided_by": "DfT Local Transport Board with Fellshire County Council",
            "rationale": (
                "Subsidy per journey rose from about 4.10 on the fixed route to about 11.80, "
                "because older passengers could not book by app and only two operators "
                "competed. A national rural roll-out would have cost about 46m."
            ),
            "next_steps": (
                "Revert to the fixed route from October 2026, plus a community transport "
                "grant for villages off the route with phone booking."
            ),
        },
    ],
}


# --------------------------------------------------------------------------------------------
# P10  Aggregated procurement of rooftop solar for schools and hospitals (DESNZ)
# --------------------------------------------------------------------------------------------
#: Installed capacity across the 64 sites, kWp: the should-cost is 1,020 per kWp of it.
_P10_KWP = 9_060

P10: dict[str, Any] = {
    "pilot": {
        "reference": "DESNZ-TL-010",
        "title": "Aggregated procurement of rooftop solar for schools and hospitals",
        "lead_organisation": "Department for Energy Security and Net Zero",
        "partner_organisations": [
            "Great British Energy",
            "Four NHS trusts",
            "Eleven academy trusts",
        ],
        "team": "Public Sector Decarbonisation Team",
        "senior_responsible_owner": "Deputy Director, Public Sector Decarbonisation",
        "minister": "Minister of State for Energy",
        "primary_mission": "CLEAN_ENERGY",
        "secondary_missions": [],
        "milestones": ["CLEAN_POWER_2030"],
        "problem_statement": (
            "Schools and hospitals buy rooftop solar one site at a time, paying about 1,312 "
            "per kWp installed, well above what a regional buyer could achieve. Each "
            "procurement also costs the site months of staff time."
        ),
        "toc_inputs": (
            "A regional framework let through a competitive flexible procedure, with demand "
            "aggregated across NHS and academy trusts."
        ),
        "toc_activities": (
            "Sites are surveyed and bundled into lots; installers bid for lots rather than "
            "single roofs."
        ),
        "toc_outputs": "64 sites, about 9 MWp, installed through one framework.",
        "toc_outcomes": "Lower installed cost per kWp than individual procurements.",
        "toc_impact": "More public-sector solar for the money, towards clean power by 2030.",
        "toc_assumptions": "Installers pass volume savings through to price.",
        "toc_riskiest_assumption": (
            "That lower prices reflect aggregation rather than falling panel prices."
        ),
        "status": "decided",
        "start_date": dt.date(2025, 3, 3),
        "end_date": dt.date(2026, 8, 28),
        "budget": 10_200_000.0,
        "spend": 9_825_000.0,
        "national_rollout_cost": 180_000_000.0,
        "marking": "OFFICIAL_SENSITIVE",
        "marking_descriptor": "COMMERCIAL",
        "handling_instructions": (
            "Contains installer prices per kWp and the should-cost. Share within government only."
        ),
        "evaluation_types": ["impact", "value_for_money"],
        "evaluation_design": "historical_comparison",
        "delivery_summary": (
            "64 sites (21 hospital and 43 school roofs) were installed between September 2025 "
            "and July 2026, all commissioned on time. Installed cost averaged 1,048 per kWp, "
            "close to the should-cost of 1,020."
        ),
    },
    "procurements": [
        {
            "name": "Regional rooftop solar framework: first wave, 64 sites",
            "route": "pa23_competitive_flexible",
            "contract_value": 9_500_000.0,
            "supplier": "Three regional installers (lots 1-3)",
            "bidders": 9,
            "engagement_methods": ["industry_day", "one_to_one", "questionnaire"],
            "suppliers_engaged": 23,
            "smes_engaged": 15,
            "engagement_changes": (
                "Installers asked for lots by region rather than by building type, cutting "
                "travel costs; the lots were redrawn."
            ),
            "payment_mechanism": "milestone",
            "should_cost": 1_020.0 * _P10_KWP,
            "winning_bid": 9_500_000.0,
            "outturn_cost": 1_048.0 * _P10_KWP,
            "contract_manager": "Senior Category Manager, Energy (Crown Commercial Service)",
            "contract_manager_accreditation": "expert",
            "commercial_specialist": True,
            "contract_start": dt.date(2025, 8, 1),
            "contract_end": dt.date(2026, 8, 28),
            "kpis": [
                {
                    "name": "Capacity commissioned",
                    "level": "output",
                    "mission_alignment": "partial",
                    "mission": "CLEAN_ENERGY",
                    "target": "9,000 kWp by July 2026",
                    "published": True,
                    "ratings": [{"year": "2025-26", "rating": "good"}],
                },
                {
                    "name": "Installed cost per kWp within 5% of should-cost",
                    "level": "outcome",
                    "mission_alignment": "strong",
                    "mission": "CLEAN_ENERGY",
                    "target": "At most 1,071 per kWp",
                    "published": True,
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "1,048 per kWp"}],
                },
                {
                    "name": "First-year generation against design yield",
                    "level": "outcome",
                    "mission_alignment": "strong",
                    "mission": "CLEAN_ENERGY",
                    "target": "At least 95% of modelled yield",
                    "published": True,
                    "ratings": [{"year": "2025-26", "rating": "good", "note": "Sites live so far"}],
                },
            ],
        },
        {
            "name": "Regional rooftop solar framework: second wave, all regions",
            "route": "pa23_competitive_flexible",
            "contract_value": 45_000_000.0,
            "pipeline_year": "2028-29",
            "payment_mechanism": "milestone",
            "contract_manager": "Senior Category Manager, Energy (Crown Commercial Service)",
            "contract_manager_accreditation": "expert",
            "commercial_specialist": True,
        },
    ],
    "comparators": [
        {
            "key": "historic-procurements",
            "name": "Individual site procurements, 2022-2024",
            "kind": "historical_baseline",
            "description": "41 rooftop solar installations bought by single schools and trusts.",
            "rationale": "The way these sites would otherwise have bought solar.",
            "baseline_value": 1_300.0,
            "baseline_period": "2022-23 to 2024-25",
        },
    ],
    "hypotheses": [
        {
            "code": "H1",
            "statement": (
                "Aggregated procurement lowers the installed cost per kWp compared with "
                "historic individual procurements."
            ),
            "role": "primary",
            "comparator": "historic-procurements",
            "outcome_name": "installed cost per kWp",
            "outcome_unit": "pounds per kWp",
            "outcome_type": "continuous",
            "direction": "decrease",
            "design": "two-group",
            "benefit_threshold": 100.0,
            "harm_margin": 50.0,
            "alpha": 0.05,
            "planned_n_pilot": 60,
            "planned_n_comparator": 40,
            "assumed_sd": 200.0,
            "evidence_level": 2,
            "pilot_label": "framework sites",
            "comparator_label": "historic individual procurements",
            "analysis_plan": (
                "Welch comparison of installed cost per kWp, framework sites against sites "
                "bought individually in 2022-2024; prices are not adjusted for the trend in "
                "panel costs."
            ),
            "data": {
                "source_name": "DESNZ-TL-010-H1-aggregates.csv",
                "rows": [
                    {"arm": "pilot", "n": 64, "mean": 1_048, "sd": 142},
                    {"arm": "comparator", "n": 41, "mean": 1_312, "sd": 231},
                ],
            },
        },
    ],
    "registered_at": _when(2025, 7, 14),
    "costs": [
        {
            "category": "delivery",
            "description": "Installations, 64 sites",
            "amount": 1_048.0 * _P10_KWP,
            "financial_year": "2025-26",
        },
        {
            "category": "procurement",
            "description": "Competitive flexible procedure and surveys",
            "amount": 140_000.0,
            "financial_year": "2024-25",
        },
        {
            "category": "evaluation",
            "description": "Cost benchmarking",
            "amount": 60_000.0,
            "financial_year": "2026-27",
        },
        {
            "category": "staff",
            "description": "Programme team",
            "amount": 130_000.0,
            "financial_year": "2025-26",
        },
    ],
    "lessons": [
        {
            "category": "market_engagement",
            "what_happened": "One-to-one sessions led to regional lots that cut travel costs.",
            "went_well": True,
            "root_cause": "Installers explained their cost drivers before the lots were fixed.",
            "recommendation": "Draw lots around suppliers' cost drivers, learned one to one.",
            "owner": "Senior Category Manager, Energy",
            "action_status": "done",
            "applies_to": "cross_government",
        },
        {
            "category": "data_and_evaluation",
            "what_happened": (
                "The comparison with 2022-2024 procurements does not control for the fall in "
                "panel prices over time."
            ),
            "went_well": False,
            "root_cause": "No concurrent individual procurements were available as comparators.",
            "recommendation": (
                "In the second wave, compare with concurrent individual procurements or "
                "adjust for a published solar price index."
            ),
            "owner": "Head of Analysis, DESNZ",
            "action_status": "open",
            "applies_to": "pilot",
        },
    ],
    "decisions": [
        {
            "kind": "scale",
            "decided_on": dt.date(2026, 10, 1),
            "decided_by": "Public Sector Decarbonisation Board",
            "rationale": (
                "Framework sites cost about 264 less per kWp than historic individual "
                "procurements. Caveat: the comparison is historical and the price trend over "
                "time is not controlled, so part of the saving may be falling panel prices."
            ),
            "next_steps": (
                "Extend the framework to all regions in 2028-29, with a price-index "
                "adjustment in the evaluation."
            ),
        },
    ],
}


#: The ten demo pilots, P1 to P10, in order.
DEMO_PILOTS: list[dict[str, Any]] = [P1, P2, P3, P4, P5, P6, P7, P8, P9, P10]
