/**
 * The incident a record belongs to, as shown beside it (INC-n and its title): the columns a query
 * selects once it has joined `incidents`.
 */
export const INCIDENT_HEADLINE = ["incidents.number as incident_number", "incidents.title as incident_title"] as const;
