"""The pilot register: records, history, audit chain.

The first schema. Revisions and audit events are guarded append-only by triggers: not a
lock (anyone with the file can drop a trigger) but one more thing a tamperer must undo, and
`testlearn verify` reports a missing guard.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('replica_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=True),
    sa.Column('revision_id', sa.String(), nullable=True),
    sa.Column('summary', sa.String(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(), nullable=False),
    sa.Column('hash', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('replica_id', 'seq', name=op.f('pk_audit_event'))
    )
    op.create_table('database_info',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_database_info'))
    )
    op.create_table('pilot',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('reference', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('lead_organisation', sa.String(), nullable=False),
    sa.Column('partner_organisations', sa.JSON(), nullable=False),
    sa.Column('team', sa.String(), nullable=False),
    sa.Column('senior_responsible_owner', sa.String(), nullable=False),
    sa.Column('minister', sa.String(), nullable=False),
    sa.Column('primary_mission', sa.String(), nullable=True),
    sa.Column('secondary_missions', sa.JSON(), nullable=False),
    sa.Column('milestones', sa.JSON(), nullable=False),
    sa.Column('problem_statement', sa.String(), nullable=False),
    sa.Column('toc_inputs', sa.String(), nullable=False),
    sa.Column('toc_activities', sa.String(), nullable=False),
    sa.Column('toc_outputs', sa.String(), nullable=False),
    sa.Column('toc_outcomes', sa.String(), nullable=False),
    sa.Column('toc_impact', sa.String(), nullable=False),
    sa.Column('toc_assumptions', sa.String(), nullable=False),
    sa.Column('toc_riskiest_assumption', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('budget', sa.Float(), nullable=True),
    sa.Column('spend', sa.Float(), nullable=True),
    sa.Column('national_rollout_cost', sa.Float(), nullable=True),
    sa.Column('marking', sa.String(), nullable=False),
    sa.Column('marking_descriptor', sa.String(), nullable=True),
    sa.Column('handling_instructions', sa.String(), nullable=False),
    sa.Column('evaluation_types', sa.JSON(), nullable=False),
    sa.Column('evaluation_design', sa.String(), nullable=True),
    sa.Column('registry_id', sa.String(), nullable=False),
    sa.Column('delivery_summary', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot'))
    )
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.create_index('ix_pilot_reference', ['reference'], unique=False)

    op.create_table('replica',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('is_self', sa.Boolean(), nullable=False),
    sa.Column('department', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('app_version', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replica'))
    )
    op.create_table('revision',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('parents', sa.JSON(), nullable=False),
    sa.Column('replica_id', sa.Uuid(), nullable=False),
    sa.Column('payload', sa.String(), nullable=False),
    sa.Column('op', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision'))
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index('ix_revision_entity_row', ['entity', 'row_id'], unique=False)

    op.create_table('vocabulary_term',
    sa.Column('vocabulary', sa.String(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('label', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('vocabulary', 'code', name=op.f('pk_vocabulary_term'))
    )
    op.create_table('comparator',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=False),
    sa.Column('rationale', sa.String(), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_period', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_comparator_pilot_id_pilot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comparator'))
    )
    with op.batch_alter_table('comparator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comparator_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('cost',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('financial_year', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_cost_pilot_id_pilot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost'))
    )
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(), nullable=False),
    sa.Column('rationale', sa.String(), nullable=False),
    sa.Column('next_steps', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_decision_pilot_id_pilot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('lesson',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(), nullable=False),
    sa.Column('what_happened', sa.String(), nullable=False),
    sa.Column('went_well', sa.Boolean(), nullable=False),
    sa.Column('root_cause', sa.String(), nullable=False),
    sa.Column('recommendation', sa.String(), nullable=False),
    sa.Column('owner', sa.String(), nullable=False),
    sa.Column('action_status', sa.String(), nullable=False),
    sa.Column('applies_to', sa.String(), nullable=False),
    sa.Column('failure_kind', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_lesson_pilot_id_pilot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson'))
    )
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('procurement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('route', sa.String(), nullable=True),
    sa.Column('direct_award_justification', sa.String(), nullable=False),
    sa.Column('contract_value', sa.Float(), nullable=True),
    sa.Column('pipeline_year', sa.String(), nullable=True),
    sa.Column('supplier', sa.String(), nullable=False),
    sa.Column('bidders', sa.Integer(), nullable=True),
    sa.Column('engagement_methods', sa.JSON(), nullable=False),
    sa.Column('suppliers_engaged', sa.Integer(), nullable=True),
    sa.Column('smes_engaged', sa.Integer(), nullable=True),
    sa.Column('engagement_changes', sa.String(), nullable=False),
    sa.Column('payment_mechanism', sa.String(), nullable=True),
    sa.Column('share_at_risk_pct', sa.Float(), nullable=True),
    sa.Column('should_cost', sa.Float(), nullable=True),
    sa.Column('winning_bid', sa.Float(), nullable=True),
    sa.Column('outturn_cost', sa.Float(), nullable=True),
    sa.Column('contract_manager', sa.String(), nullable=False),
    sa.Column('contract_manager_accreditation', sa.String(), nullable=True),
    sa.Column('commercial_specialist', sa.Boolean(), nullable=True),
    sa.Column('break_clause', sa.String(), nullable=False),
    sa.Column('contract_start', sa.Date(), nullable=True),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_procurement_pilot_id_pilot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement'))
    )
    with op.batch_alter_table('procurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registered_by', sa.String(), nullable=False),
    sa.Column('content_hash', sa.String(), nullable=False),
    sa.Column('hypothesis_ids', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_registration_pilot_id_pilot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('hypothesis',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('statement', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('outcome_name', sa.String(), nullable=False),
    sa.Column('outcome_unit', sa.String(), nullable=False),
    sa.Column('outcome_type', sa.String(), nullable=False),
    sa.Column('direction', sa.String(), nullable=False),
    sa.Column('design', sa.String(), nullable=False),
    sa.Column('comparator_id', sa.Uuid(), nullable=True),
    sa.Column('benefit_threshold', sa.Float(), nullable=False),
    sa.Column('harm_margin', sa.Float(), nullable=True),
    sa.Column('alpha', sa.Float(), nullable=False),
    sa.Column('planned_n_pilot', sa.Integer(), nullable=True),
    sa.Column('planned_n_comparator', sa.Integer(), nullable=True),
    sa.Column('allocation_ratio', sa.Float(), nullable=True),
    sa.Column('clustered_design', sa.Boolean(), nullable=False),
    sa.Column('planned_clusters_per_arm', sa.Integer(), nullable=True),
    sa.Column('icc', sa.Float(), nullable=True),
    sa.Column('assumed_sd', sa.Float(), nullable=True),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('benchmark_value', sa.Float(), nullable=True),
    sa.Column('design_mde', sa.Float(), nullable=True),
    sa.Column('evidence_level', sa.Integer(), nullable=True),
    sa.Column('pilot_label', sa.String(), nullable=False),
    sa.Column('comparator_label', sa.String(), nullable=False),
    sa.Column('its_lag', sa.Integer(), nullable=True),
    sa.Column('analysis_plan', sa.String(), nullable=False),
    sa.Column('registration_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['comparator_id'], ['comparator.id'], name=op.f('fk_hypothesis_comparator_id_comparator')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_hypothesis_pilot_id_pilot')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_hypothesis_registration_id_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hypothesis'))
    )
    with op.batch_alter_table('hypothesis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hypothesis_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('kpi',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('procurement_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=False),
    sa.Column('level', sa.String(), nullable=False),
    sa.Column('mission_alignment', sa.String(), nullable=False),
    sa.Column('mission', sa.String(), nullable=True),
    sa.Column('target', sa.String(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_kpi_pilot_id_pilot')),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurement.id'], name=op.f('fk_kpi_procurement_id_procurement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi'))
    )
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('dataset',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('hypothesis_id', sa.Uuid(), nullable=False),
    sa.Column('shape', sa.String(), nullable=False),
    sa.Column('source_name', sa.String(), nullable=False),
    sa.Column('source_sha256', sa.String(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['hypothesis_id'], ['hypothesis.id'], name=op.f('fk_dataset_hypothesis_id_hypothesis')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dataset'))
    )
    with op.batch_alter_table('dataset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dataset_hypothesis_id'), ['hypothesis_id'], unique=False)

    op.create_table('deviation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('hypothesis_id', sa.Uuid(), nullable=False),
    sa.Column('registration_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(), nullable=False),
    sa.Column('old_value', sa.JSON(), nullable=True),
    sa.Column('new_value', sa.JSON(), nullable=True),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['hypothesis_id'], ['hypothesis.id'], name=op.f('fk_deviation_hypothesis_id_hypothesis')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_deviation_registration_id_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deviation'))
    )
    with op.batch_alter_table('deviation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deviation_hypothesis_id'), ['hypothesis_id'], unique=False)

    op.create_table('kpi_rating',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('kpi_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.String(), nullable=True),
    sa.Column('rating', sa.String(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_kpi_rating_kpi_id_kpi')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_rating'))
    )
    with op.batch_alter_table('kpi_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_rating_kpi_id'), ['kpi_id'], unique=False)

    op.create_table('aggregate_row',
    sa.Column('dataset_id', sa.Uuid(), nullable=False),
    sa.Column('row_no', sa.Integer(), nullable=False),
    sa.Column('arm', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=True),
    sa.Column('time', sa.Float(), nullable=True),
    sa.Column('n', sa.Integer(), nullable=True),
    sa.Column('mean', sa.Float(), nullable=True),
    sa.Column('sd', sa.Float(), nullable=True),
    sa.Column('successes', sa.Integer(), nullable=True),
    sa.Column('events', sa.Float(), nullable=True),
    sa.Column('exposure', sa.Float(), nullable=True),
    sa.Column('clusters', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_aggregate_row_dataset_id_dataset')),
    sa.PrimaryKeyConstraint('dataset_id', 'row_no', name=op.f('pk_aggregate_row'))
    )
    op.create_table('observation',
    sa.Column('dataset_id', sa.Uuid(), nullable=False),
    sa.Column('row_no', sa.Integer(), nullable=False),
    sa.Column('arm', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('period', sa.String(), nullable=True),
    sa.Column('cluster', sa.String(), nullable=True),
    sa.Column('unit', sa.String(), nullable=True),
    sa.Column('time', sa.Float(), nullable=True),
    sa.Column('exposure', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_observation_dataset_id_dataset')),
    sa.PrimaryKeyConstraint('dataset_id', 'row_no', name=op.f('pk_observation'))
    )


    for table in APPEND_ONLY:
        create_append_only_guard(table)


#: Tables whose rows are never updated or deleted once written.
APPEND_ONLY = ("revision", "audit_event")


def create_append_only_guard(table: str) -> None:
    if op.get_context().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    else:
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    op.drop_table('observation')
    op.drop_table('aggregate_row')
    with op.batch_alter_table('kpi_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_rating_kpi_id'))

    op.drop_table('kpi_rating')
    with op.batch_alter_table('deviation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deviation_hypothesis_id'))

    op.drop_table('deviation')
    with op.batch_alter_table('dataset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dataset_hypothesis_id'))

    op.drop_table('dataset')
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_pilot_id'))

    op.drop_table('kpi')
    with op.batch_alter_table('hypothesis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hypothesis_pilot_id'))

    op.drop_table('hypothesis')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_pilot_id'))

    op.drop_table('registration')
    with op.batch_alter_table('procurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_pilot_id'))

    op.drop_table('procurement')
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_pilot_id'))

    op.drop_table('lesson')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_pilot_id'))

    op.drop_table('decision')
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_pilot_id'))

    op.drop_table('cost')
    with op.batch_alter_table('comparator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comparator_pilot_id'))

    op.drop_table('comparator')
    op.drop_table('vocabulary_term')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index('ix_revision_entity_row')

    op.drop_table('revision')
    op.drop_table('replica')
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.drop_index('ix_pilot_reference')

    op.drop_table('pilot')
    op.drop_table('database_info')
    op.drop_table('audit_event')
