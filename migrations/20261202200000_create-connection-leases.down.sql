DROP TABLE connection_leases;
